package sentiment

import "strings"

// germanLexicon builds the German rule lexicon. Every word and value here
// was written for this package by its authors (valences on VADER's scale,
// -4 … 4); nothing is taken from SentiWS or any other German lexicon.
func germanLexicon() *lexicon {
	lx := &lexicon{
		words:        make(map[string]entry, 900),
		phrases:      map[string]entry{},
		endings:      []string{"e", "en", "er", "es", "em", "n", "s", "st", "t", "ste", "sten", "ster"},
		postNegation: true,
	}
	add := func(v float32, flags uint8, words string) {
		for _, w := range strings.Fields(words) {
			lx.words[w] = entry{val: v, flags: flags}
		}
	}
	// Positive.
	add(3.2, 0, `großartig grossartig hervorragend fantastisch phantastisch sensationell
		traumhaft überragend wunderbar wundervoll herrlich genial spitze spitzenklasse weltklasse`)
	add(2.8, 0, `super toll klasse prima perfekt wunderschön liebe lieben liebt liebste
		begeistert begeisterung begeistern glücklich glück geil hammer mega grandios
		ausgezeichnet exzellent brillant beeindruckend faszinierend atemberaubend lieblings
		glückwunsch glückwünsche gratulation gratuliere gratulieren herzlichen`)
	add(2.2, 0, `schön gut gute guten beste besten bester freude freuen freue freut froh
		lustig witzig spaß spass genießen geniessen genieße genießt lecker gewonnen gewinnen
		gewinnt sieg siege siegen erfolg erfolge erfolgreich stolz dankbar danke dank
		lachen lacht lache gelacht hurra juhu yeah yay jippie endlich gefällt gefallen mag
		mögen liebenswert süß süss niedlich cool nice fein schick spannend lebenswert
		hoffnung hoffnungsvoll zufrieden zufriedenheit fröhlich heiter entspannt erholt
		gesund gesundheit frieden friedlich sicher sicherheit willkommen herzlich freundlich
		nett hilfreich hilfsbereit gelungen gelingt bewundern bewundere respekt vorbildlich
		unterstützen unterstützung gerettet rettung lösung gelöst behoben repariert
		stark stärker klug schlau brav fair ehrlich treu wichtig`)
	add(1.4, 0, `interessant okay ok ordentlich besser passt praktisch nützlich sinnvoll
		gerne gern hoffe hoffentlich freundschaft freunde freund feiern feier party urlaub
		wochenende sonne sonnig lächeln zustimmen einverstanden bereit fertig frisch neu
		chance chancen wow hübsch schlank ruhig angenehm gemütlich kuscheln umarmung
		willkommen gratis kostenlos günstig belohnung gewinn profit stimmt richtig recht
		happy love lol haha hahaha hehe xd lächelt`)
	// Negative.
	add(-3.2, 0, `katastrophe katastrophal furchtbar schrecklich grauenhaft grauenvoll
		entsetzlich fürchterlich horror albtraum alptraum hass hasse hassen hasst abscheulich
		ekelhaft widerlich mord morde mörder terror terroristen anschlag tot tote toten
		getötet töten sterben gestorben stirbt tod krieg kriege massaker vergewaltigung`)
	add(-2.6, 0, `scheiße scheisse scheiß scheiss kacke mist schlecht schlechter schlechteste
		schlimm schlimmer schlimmste übel traurig trauer trauern weinen weine weint heulen
		wütend wut zorn sauer ärger ärgerlich ärgert ärgere verärgert nervig nervt nerven
		genervt nervtötend peinlich enttäuscht enttäuschend enttäuschung frustriert frust
		frustrierend dumm dämlich blöd blöde bescheuert doof idiot idioten idiotisch
		arschloch arsch bastard versager lüge lügen lügner gelogen betrug betrüger betrogen
		skandal skandalös schande schäm schämen schämt beschämend unverschämt frechheit
		gewalt brutal grausam gefährlich gefahr bedrohung bedroht angst ängste ängstlich
		panik sorge sorgen besorgt krise krank krankheit schmerz schmerzen leiden leidet
		verletzt verletzte unfall unfälle opfer verloren verlieren verliert niederlage
		pleite ausfall ausgefallen ausfälle störung störungen gestört absturz abgestürzt
		stürzt kaputt defekt fehler fehlern fehlerhaft versagt versagen problem probleme
		problemen chaos chaotisch nervenaufreibend zerstört zerstörung rassismus rassistisch
		nazi nazis hetze hetzen korrupt korruption ungerecht ungerechtigkeit unfair fake fail`)
	add(-1.6, 0, `leider schade langweilig langweile öde nervös stress stressig anstrengend
		müde erschöpft teuer hässlich falsch fies gemein unfreundlich schwierig schwer
		unglücklich einsam allein vermisse vermissen fehlt fehlen mangel verspätet verspätung
		verzögerung warten wartet gewartet stau streik ausgebucht überfüllt kalt regen
		regnet lahm langsam träge hängt hängen ruckelt laggt offline down unerreichbar
		fehlermeldung absage abgesagt gestrichen ausgefallene kritik kritisieren beschwerde
		beschweren meckern jammern jammert unsinn quatsch schwachsinn blödsinn lächerlich
		sorry bitter fragwürdig zweifel zweifelhaft verwirrt verwirrend dreck dreckig pech
		schlimmen ekel ekelig eklig hunger krass wtf omg ugh`)
	// Outage vocabulary: flag what is about outages.
	for _, w := range strings.Fields(`ausfall ausgefallen ausfälle störung störungen gestört
		absturz abgestürzt stürzt kaputt defekt fehler fehlermeldung offline down unerreichbar
		hängt ruckelt laggt lahm langsam behoben repariert gelöst`) {
		e := lx.words[w]
		e.flags |= fOutage
		lx.words[w] = e
	}
	lx.words["netzausfall"] = entry{val: -2.6, flags: fOutage}
	lx.words["stromausfall"] = entry{val: -2.6, flags: fOutage}
	lx.words["totalausfall"] = entry{val: -3.0, flags: fOutage}
	lx.words["503"] = entry{val: -1.5, flags: fOutage}
	lx.words["502"] = entry{val: -1.5, flags: fOutage}
	lx.words["504"] = entry{val: -1.5, flags: fOutage}
	// Heads of compounds: "Serverausfall", "Netzstörung", "Verbindungsprobleme".
	lx.heads = []string{"ausfall", "ausfälle", "störung", "störungen", "probleme", "problem",
		"fehler", "absturz", "chaos", "katastrophe", "skandal", "freude", "glück"}

	add(boostIncr, fBooster, `sehr so total echt wirklich extrem absolut völlig voll mega ultra
		richtig ganz besonders unglaublich äußerst höchst zu viel verdammt wahnsinnig enorm
		derbe tierisch zutiefst ziemlich sau arg irre unheimlich komplett soo sooo`)
	add(-boostIncr, fBooster, `etwas bisschen wenig leicht eher relativ halbwegs teilweise fast
		kaum einigermaßen etwa`)
	add(0, fNegator, `nicht nich net ned kein keine keinen keinem keiner keines nie niemals
		nichts niemand weder ohne`)
	add(0, fContrast, `aber jedoch allerdings sondern trotzdem dennoch`)
	// Function words: neutral, but trouble when negated ("geht nicht",
	// "kein Internet", "lädt nicht").
	for _, w := range strings.Fields(`geht gehts geht's gehen ging funktioniert funktionieren
		funktionierte läuft laufen lief lädt laden klappt klappen klappte verbindet verbinden
		startet starten reagiert reagieren antwortet öffnet öffnen erreichbar erreichen
		empfang netz internet strom verbindung zugriff wlan signal netflix app server seite
		webseite website login anmelden einloggen`) {
		e := lx.words[w]
		if e.val == 0 {
			lx.words[w] = entry{flags: e.flags | fFunction}
		}
	}
	for p, v := range map[string]float32{
		"läuft wieder": 2.1, "geht wieder": 2.1, "funktioniert wieder": 2.2, "klappt wieder": 2.0,
		"wieder online": 2.0, "wieder da": 1.6, "wieder erreichbar": 2.0, "wieder verfügbar": 2.0,
		"alles gut": 2.0, "alles wieder gut": 2.2, "zum glück": 1.8, "gott sei dank": 2.0,
		"nicht erreichbar": -2.0, "nicht verfügbar": -1.8, "geht nicht": -2.0, "geht gar nicht": -2.4,
		"funktioniert nicht": -2.0, "läuft nicht": -1.9, "lädt nicht": -1.9, "nichts geht": -2.2,
		"nichts geht mehr": -2.4, "na toll": -1.6, "na super": -1.6, "tut mir leid": -0.6,
		"kein problem": 1.2, "keine probleme": 1.2, "keine ahnung": -0.6,
	} {
		lx.addPhrase(p, v, fOutage)
	}
	return lx
}

// englishFalseFriends are English lexicon words that are also common German
// words with another meaning; the cross-lingual cue ignores them.
func englishFalseFriends(w string) bool {
	switch w {
	case "die", "war", "will", "also", "gift", "bad", "arm", "fast", "hell", "mist", "rat",
		"kind", "not", "hat", "handy", "rock", "boot", "chef", "glut", "spot", "art", "bald",
		"brief", "fade", "rot", "tag", "top", "toll", "rein", "sage", "lager", "pest", "eagerly",
		"elend", "fehl", "gross", "hut", "mode", "stern", "wert", "wink", "winning":
		return true
	}
	return false
}
