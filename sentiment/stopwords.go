package sentiment

// The function words of the languages detect tells apart, written for this
// package from general knowledge of each language. stopLangs below is a
// switch over them in which each case holds the words that share one set of
// languages; TestStopLists checks that the switch and these lists agree.
//
// en: the and of to is that it for you with on this are be was have not they
//    but what all were when we there can your which their if do will would
//    about how up out them she he his her my me just so get been has had from
//    or by at an i i'm it's don't can't who why our because than then some
//    could should these those into after over only its very any know like now
//    more one no too am did does doesn't didn't isn't won't you're i've
//    that's there's people time really still again being make going got back
//    here where while also other off much every never come see go want need
//    love day today good new think thank thanks please yes way first last
//    well say said ya
// de: der die das und ist nicht ich sie es ein eine einen einem einer zu den
//    dem des mit sich auf für auch von wird werden sind noch wie aber nur
//    oder wenn nach bei aus wir ihr mir mich dich dir uns hat habe haben kann
//    können muss schon jetzt immer mal doch gibt über keine kein sehr heute
//    hier dass daß war waren bin bist weil man nichts was diese dieser dieses
//    wieder geht gut viel mehr ja nein vom zum zur im ins am um durch gegen
//    unter ohne bis seit sein seine ihre ihren meine mein deine dein euch wo
//    warum wer weiß einfach eigentlich denn halt so also an
// fr: le la les et est une des du je tu il elle nous vous ils pas ne que qui
//    pour dans sur avec mais ce cette sont être avoir fait plus tout très
//    bien au aux leur mon ma mes ton ta c'est j'ai suis était aussi comme où
//    quand alors donc rien toujours encore oui merci voilà en un si de non se
// es: el la los las y en de que es por con para una un del se lo su al como
//    más pero sus le ya o este esta si porque muy sin sobre también me hasta
//    hay donde quien desde todo nos durante todos uno les ni contra otros ese
//    eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él
//    tanto esa estos mucho quienes nada muchos cual poco ella estar estas
//    algunas algo nosotros está están pues hoy gracias bueno aquí ahora así
//    cuando tiene no
// it: il di che non per sono della gli nel alla anche questo questa ho ha mi
//    ti ci del dei delle molto più grazie tutto tutti come perché quando
//    ancora sempre oggi io la e è un una con su al lo se i ma no o in
// nl: het een van ik je dat niet zijn op te met voor ook maar aan er wat nog
//    bij wel naar kan hij ze dit heb heeft geen dan worden zo moet deze wordt
//    mijn uit jij jullie waar hoe omdat alleen veel goed vandaag de en in is
// pt: não uma os as do da em um com no na ao mais foi ser tem são seu sua
//    isso ele ela muito já também eu você está quando nos pelo pela só então
//    agora obrigado de que e o para por como se a
// sv: och att det som är på för med jag inte har till av om den ett men var
//    kan så vi du hon han också en i
// da: og ikke til jeg er af meget hvad også det som på for med har av om den
//    men var kan så vi du han dette bare fra en i
// no: og ikke til jeg er ikkje eg ble være også mye hva bare nå det som på
//    for med har av om den men var kan så vi du han dette fra en i
// pl: się nie jest że na to w z do jak ale tak co już jestem być tylko czy
//    jednak bardzo który która które i
// cs: je se že ve jsem jsou by aby jako také už když nebo jen pro mě všechno
//    ještě na to v z do jak ale tak co a
// tr: ve bir bu için ile çok ama daha gibi olan değil var yok ben sen biz siz
//    onlar şey mi mı ne kadar sonra
// id: yang dan di ini itu dengan untuk tidak dari dalam akan pada juga saya
//    ke karena ada bisa sudah aku kamu
// tl: ang ng sa mga ko ako hindi siya naman lang kung pero talaga ito yung ba
//    po din rin ka kasi

// stopLangs returns the languages (a bit set over the l* constants) whose
// most frequent function words include w, lower case.
func stopLangs(w string) uint32 {
	switch w {
	case "about", "after", "again", "all", "and", "any", "are", "at", "back", "be", "because", "been", "being", "but", "can", "can't", "could", "day", "did", "didn't", "does", "doesn't", "don't", "every", "first", "from", "get", "go", "going", "good", "got", "had", "has", "have", "he", "her", "here", "his", "how", "i'm", "i've", "if", "into", "isn't", "it", "it's", "its", "just", "know", "last", "like", "love", "make", "more", "much", "my", "need", "never", "new", "not", "now", "of", "off", "on", "one", "only", "or", "other", "our", "out", "over", "people", "please", "really", "said", "say", "see", "she", "should", "some", "still", "than", "thank", "thanks", "that", "that's", "the", "their", "them", "then", "there", "there's", "these", "they", "think", "this", "those", "time", "today", "too", "up", "very", "want", "way", "we", "well", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "won't", "would", "yes", "you", "you're", "your":
		return 1 << lEN
	case "aber", "auch", "auf", "aus", "bei", "bin", "bis", "bist", "das", "dass", "daß", "dein", "deine", "dem", "denn", "der", "dich", "die", "diese", "dieser", "dieses", "dir", "doch", "durch", "eigentlich", "ein", "eine", "einem", "einen", "einer", "einfach", "euch", "für", "gegen", "geht", "gibt", "gut", "habe", "haben", "halt", "hat", "heute", "hier", "ich", "ihr", "ihre", "ihren", "im", "immer", "ins", "ist", "ja", "jetzt", "kann", "kein", "keine", "können", "mal", "man", "mehr", "mein", "meine", "mich", "mir", "mit", "muss", "nach", "nein", "nicht", "nichts", "noch", "nur", "oder", "ohne", "schon", "sehr", "sein", "seine", "seit", "sich", "sie", "sind", "und", "uns", "unter", "viel", "vom", "von", "war", "waren", "warum", "weil", "weiß", "wenn", "wer", "werden", "wie", "wieder", "wir", "wird", "wo", "zu", "zum", "zur", "über":
		return 1 << lDE
	case "alors", "au", "aussi", "aux", "avec", "avoir", "bien", "c'est", "ce", "cette", "comme", "dans", "donc", "elle", "encore", "est", "et", "fait", "ils", "j'ai", "leur", "merci", "mes", "mon", "nous", "oui", "où", "pas", "plus", "pour", "quand", "qui", "rien", "sont", "suis", "sur", "ta", "ton", "toujours", "tout", "très", "tu", "une", "voilà", "vous", "était", "être":
		return 1 << lFR
	case "ahora", "algo", "algunas", "algunos", "ante", "antes", "aquí", "así", "bueno", "contra", "cual", "cuando", "desde", "donde", "durante", "el", "ella", "ellos", "esa", "ese", "eso", "esta", "estar", "estas", "este", "esto", "estos", "están", "gracias", "hasta", "hay", "hoy", "las", "los", "mucho", "muchos", "muy", "más", "mí", "nada", "ni", "nosotros", "otra", "otras", "otro", "otros", "poco", "porque", "pues", "quien", "quienes", "qué", "sin", "sobre", "sus", "también", "tanto", "tiene", "todo", "todos", "uno", "unos", "y", "yo", "él":
		return 1 << lES
	case "alla", "anche", "ancora", "che", "ci", "dei", "della", "delle", "gli", "grazie", "ha", "ho", "io", "molto", "nel", "oggi", "per", "perché", "più", "questa", "questo", "sempre", "sono", "ti", "tutti", "tutto", "è":
		return 1 << lIT
	case "aan", "alleen", "bij", "dat", "deze", "dit", "een", "geen", "goed", "heb", "heeft", "het", "hij", "hoe", "ik", "jij", "jullie", "maar", "met", "mijn", "moet", "naar", "niet", "nog", "omdat", "ook", "op", "te", "uit", "van", "vandaag", "veel", "voor", "waar", "wat", "wel", "worden", "wordt", "ze", "zijn", "zo":
		return 1 << lNL
	case "agora", "ao", "as", "com", "da", "ela", "ele", "em", "então", "eu", "foi", "isso", "já", "muito", "não", "obrigado", "os", "pela", "pelo", "ser", "seu", "sua", "são", "só", "também", "tem", "uma", "você":
		return 1 << lPT
	case "att", "ett", "för", "hon", "inte", "jag", "och", "också", "till", "är":
		return 1 << lSV
	case "af", "hvad", "meget":
		return 1 << lDA
	case "ble", "eg", "hva", "ikkje", "mye", "nå", "være":
		return 1 << lNO
	case "bardzo", "być", "czy", "jednak", "jest", "jestem", "już", "która", "które", "który", "nie", "się", "tylko", "w", "że":
		return 1 << lPL
	case "aby", "jako", "jen", "ještě", "jsem", "jsou", "když", "mě", "nebo", "pro", "také", "už", "v", "všechno", "že":
		return 1 << lCS
	case "ama", "ben", "bir", "biz", "bu", "daha", "değil", "gibi", "ile", "için", "kadar", "mı", "olan", "onlar", "sen", "siz", "sonra", "yok", "çok", "şey":
		return 1 << lTR
	case "ada", "akan", "aku", "bisa", "dalam", "dari", "dengan", "ini", "itu", "juga", "kamu", "karena", "ke", "pada", "saya", "sudah", "tidak", "untuk", "yang":
		return 1 << lID
	case "ako", "ang", "ba", "din", "hindi", "ito", "ka", "kasi", "ko", "kung", "lang", "mga", "naman", "ng", "po", "rin", "sa", "siya", "talaga", "yung":
		return 1 << lTL
	case "also", "am", "an", "so", "was":
		return 1<<lEN | 1<<lDE
	case "me", "ya":
		return 1<<lEN | 1<<lES
	case "come":
		return 1<<lEN | 1<<lIT
	case "is":
		return 1<<lEN | 1<<lNL
	case "by":
		return 1<<lEN | 1<<lCS
	case "des":
		return 1<<lDE | 1<<lFR
	case "es":
		return 1<<lDE | 1<<lES
	case "um":
		return 1<<lDE | 1<<lPT
	case "le", "les", "si":
		return 1<<lFR | 1<<lES
	case "il", "ma", "non":
		return 1<<lFR | 1<<lIT
	case "mais":
		return 1<<lFR | 1<<lPT
	case "ne":
		return 1<<lFR | 1<<lTR
	case "al", "con", "del", "lo", "su", "una":
		return 1<<lES | 1<<lIT
	case "como", "está", "nos", "para", "por":
		return 1<<lES | 1<<lPT
	case "pero":
		return 1<<lES | 1<<lTL
	case "in":
		return 1<<lIT | 1<<lNL
	case "quando":
		return 1<<lIT | 1<<lPT
	case "mi":
		return 1<<lIT | 1<<lTR
	case "di":
		return 1<<lIT | 1<<lID
	case "dan":
		return 1<<lNL | 1<<lID
	case "a":
		return 1<<lPT | 1<<lCS
	case "bare", "dette", "fra", "ikke", "jeg", "og", "også", "til":
		return 1<<lDA | 1<<lNO
	case "ale", "co", "jak", "tak", "z":
		return 1<<lPL | 1<<lCS
	case "ve":
		return 1<<lCS | 1<<lTR
	case "for":
		return 1<<lEN | 1<<lDA | 1<<lNO
	case "to":
		return 1<<lEN | 1<<lPL | 1<<lCS
	case "la", "un":
		return 1<<lFR | 1<<lES | 1<<lIT
	case "que":
		return 1<<lFR | 1<<lES | 1<<lPT
	case "je":
		return 1<<lFR | 1<<lNL | 1<<lCS
	case "e", "o":
		return 1<<lES | 1<<lIT | 1<<lPT
	case "er":
		return 1<<lNL | 1<<lDA | 1<<lNO
	case "na":
		return 1<<lPT | 1<<lPL | 1<<lCS
	case "av", "det", "han", "har", "med", "men", "om", "på", "som", "så", "vi":
		return 1<<lSV | 1<<lDA | 1<<lNO
	case "no":
		return 1<<lEN | 1<<lES | 1<<lIT | 1<<lPT
	case "do":
		return 1<<lEN | 1<<lPT | 1<<lPL | 1<<lCS
	case "den":
		return 1<<lDE | 1<<lSV | 1<<lDA | 1<<lNO
	case "de":
		return 1<<lFR | 1<<lES | 1<<lNL | 1<<lPT
	case "du":
		return 1<<lFR | 1<<lSV | 1<<lDA | 1<<lNO
	case "kan":
		return 1<<lNL | 1<<lSV | 1<<lDA | 1<<lNO
	case "var":
		return 1<<lSV | 1<<lDA | 1<<lNO | 1<<lTR
	case "se":
		return 1<<lFR | 1<<lES | 1<<lIT | 1<<lPT | 1<<lCS
	case "i":
		return 1<<lEN | 1<<lIT | 1<<lSV | 1<<lDA | 1<<lNO | 1<<lPL
	case "en":
		return 1<<lFR | 1<<lES | 1<<lNL | 1<<lSV | 1<<lDA | 1<<lNO
	}
	return 0
}
