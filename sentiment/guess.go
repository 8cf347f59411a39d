package sentiment

import "math"

// GuessLanguage returns the language a post of the archive is scored in:
// [DetectLanguage]'s answer, and English or German where the text's own
// evidence is too weak for DetectLanguage but favours one of the two. The
// archive is about English and German posts, so its prior favours them:
//
//   - A post too short for DetectLanguage ("@VirginAmerica you suck!",
//     "thanks 🙏") is English or German by its function words, its
//     English-German character trigrams and, with less weight, those of its
//     hashtags, with a prior for English; it stays undetermined when
//     it has Latin letters of another language's function words or special
//     letters (or no Latin letters at all: other scripts keep
//     DetectLanguage's answer).
//   - A post DetectLanguage gives to another Latin-script language without
//     being sure ("Is Nimbus down for anyone else? Nothing loads in
//     eu-west-2." read as Dutch) is English or German when that language's
//     function words are within one of the other language's.
//   - A source tag of another language on a post with no words of its own
//     ("#IchbinHanna RE: <link>" tagged fr: Mastodon tags posts with the
//     author's default language) gives way when the hashtags are clearly
//     English or German.
//
// detected is true when the result does not come from the tag. Like
// DetectLanguage it allocates nothing and never panics.
func GuessLanguage(text, tag string) (lang string, detected bool) {
	lang, detected, _ = guessLanguage(text, tag)
	return lang, detected
}

func guessLanguage(text, tag string) (lang string, detected bool, d detection) {
	lang, detected, d = detectLanguage(text, tag)
	if lang == "en" || lang == "de" || !d.latin {
		return lang, detected, d
	}
	switch {
	case !detected:
		// The source's tag, kept. Only a text without words of its own
		// gives way, to hashtags that are clearly English or German.
		if d.letters >= minLetters/2 || d.tagTrigrams < 6 || otherScore(&d) > 0 {
			return lang, detected, d
		}
		switch {
		case d.tagLLR/16 >= 4:
			return "en", true, d
		case d.tagLLR/16 <= -4:
			return "de", true, d
		}
		return lang, detected, d
	case lang == "":
		if d.letters < 2 && d.tagTrigrams < 6 {
			return lang, detected, d // nothing to go by
		}
		if otherScore(&d) > math.Max(d.score[lEN], d.score[lDE]) {
			return lang, detected, d // more like a third language
		}
	default: // another language, not sure
		if d.sure || otherScore(&d) > math.Max(d.score[lEN], d.score[lDE])+1 {
			return lang, detected, d
		}
	}
	if enDeOdds(&d) >= 0 {
		return "en", true, d
	}
	return "de", true, d
}

// otherScore is the highest function-word score of a language other than
// English and German.
func otherScore(d *detection) float64 {
	var m float64
	for l := lFR; l < nStop; l++ {
		m = math.Max(m, d.score[l])
	}
	return m
}

// enDeOdds is the weak evidence for English over German (positive) of a
// text: function words and special letters (2 each), the character
// trigrams of the words and, at half weight, of the hashtags (a third of
// their log ratio, capped at ±2.5), and a prior of 1 for English.
func enDeOdds(d *detection) float64 {
	x := 2 * (d.score[lEN] - d.score[lDE])
	x += math.Max(-2.5, math.Min(2.5, d.llr/16/3))
	x += 0.5 * math.Max(-2.5, math.Min(2.5, d.tagLLR/16/3))
	return x + 1
}
