package sentiment

import "github.com/aftershock/aftershock/post"

// Enrich sets what is computed once, before a post is stored: its language
// (the source's tag, unless detection finds it missing or plainly wrong)
// and its sentiment (zero when not scored).
func (s *Scorer) Enrich(p *post.Post) {
	sc, lang, _ := s.Analyze(p.Text, p.Lang)
	if lang != "" {
		p.Lang = lang
	}
	p.Sentiment = ToPost(sc)
}

// ToPost turns a Score into the archive's form: the label as text, "" when
// not scored.
func ToPost(sc Score) post.Sentiment {
	if sc.Label == NotScored {
		return post.Sentiment{}
	}
	return post.Sentiment{Score: sc.Compound, Label: sc.Label.String(), Confidence: sc.Confidence, Model: sc.Model}
}
