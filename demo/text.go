package demo

// The words the demo posts are made of. Every text here was written for
// this package; none is taken from a data set. A template's {slot} is
// replaced by a random entry of the vocabulary of that name, or by a value
// the generator computes ({mins}, {clock}, {hours}, {link}).

// phase is the part of the story a post belongs to.
type phase int

const (
	baseline  phase = iota // ordinary chatter about the provider
	outage                 // the outage: complaints, questions, jokes
	recovery               // "it's back", "läuft wieder"
	aftermath              // root cause, lessons, the post-incident review
	nPhases
)

// vocab holds the slot fillers, by language.
var vocab = map[string]map[string][]string{
	"en": {
		"region":  {"eu-central-1", "us-east-1", "eu-west-2", "us-east-1 and eu-central-1"},
		"error":   {"503s", "500 errors", "timeouts", "503 Service Unavailable", "connection resets", "ERR_STORAGE_UNAVAILABLE"},
		"thing":   {"CI pipeline", "image CDN", "backup job", "static site", "deploy pipeline", "data lake", "media uploads", "nightly ETL", "app", "shop"},
		"symptom": {"every upload fails", "all PUTs time out", "our images are gone", "downloads hang forever", "the console won't load", "presigned URLs return errors", "nothing loads"},
		"feel":    {"Great.", "Fantastic.", "Lovely.", "Ugh.", "Not fun.", "Cool cool cool.", "What a day.", "Perfect timing."},
		"day":     {"Tuesday", "afternoon", "release day", "demo day", "on-call shift"},
		"who":     {"my team", "the whole team", "our on-call", "half of our customers", "support"},
	},
	"de": {
		"region":  {"eu-central-1", "Frankfurt", "eu-central-1 (Frankfurt)", "us-east-1"},
		"error":   {"503", "Fehler 500", "Timeouts", "503 Service Unavailable", "Verbindungsabbrüche"},
		"thing":   {"Build-System", "Bilder-CDN", "Backup", "Portal", "Deployment", "Shop", "Webshop", "Ticketsystem"},
		"symptom": {"kein Upload geht durch", "alle Bilder sind weg", "Downloads hängen", "die Konsole lädt nicht", "nichts lädt mehr", "jeder Request endet im Timeout"},
		"feel":    {"Super.", "Na toll.", "Klasse.", "Wunderbar.", "Herrlich.", "Was für ein Tag."},
		"day":     {"Dienstag", "Nachmittag", "Release-Tag", "Bereitschaftsdienst"},
		"who":     {"das ganze Team", "unsere Bereitschaft", "der Support", "die Hälfte unserer Kunden"},
	},
}

// templates are the post texts of each phase and language. Every one names
// Nimbus, so the event's query matches every demo post.
var templates = [nPhases]map[string][]string{
	baseline: {
		"en": {
			"Migrated our backups to Nimbus object storage this week. Surprisingly painless.",
			"Anyone have numbers on Nimbus Cloud egress pricing vs the big three?",
			"Nimbus Cloud just announced lifecycle rules for buckets in {region}. Nice.",
			"Writing up how we moved our {thing} to Nimbus Cloud. Draft is almost done.",
			"Nimbus object storage has been rock solid for us for a year now.",
			"Is the Nimbus CLI the only way to set bucket policies? The console is confusing.",
			"Our {thing} runs on Nimbus buckets now and it is honestly boring, which is good.",
			"Nimbus Cloud support answered in ten minutes. Very happy with that.",
			"Comparing Nimbus and two other providers for cold storage. Nimbus wins on price so far.",
			"Just learned that Nimbus object storage supports versioning per prefix. Handy.",
			"The Nimbus Cloud invoice this month was a bit higher than I hoped.",
			"Looking for a Nimbus Cloud terraform module for buckets, any recommendations?",
		},
		"de": {
			"Wir haben unsere Backups zu Nimbus Cloud umgezogen, lief super.",
			"Hat jemand Erfahrung mit Nimbus Cloud und den Kosten für ausgehenden Traffic?",
			"Schön: Nimbus Cloud hat neue Regeln für den Lebenszyklus von Buckets in {region} angekündigt.",
			"Unser {thing} liegt jetzt bei Nimbus. Bisher keine Probleme.",
			"Nimbus Object Storage läuft bei uns seit einem Jahr stabil und zuverlässig. Sehr zufrieden.",
			"Gibt es für Nimbus Cloud ein gutes Terraform-Modul? Die Doku ist etwas dünn.",
			"Der Support von Nimbus Cloud hat heute schnell geantwortet, sehr angenehm.",
			"Die Nimbus-Rechnung war diesen Monat höher als gedacht.",
		},
	},
	outage: {
		"en": {
			"Is Nimbus down for anyone else? {symptom} in {region}.",
			"Nimbus object storage is down. {symptom}. {feel}",
			"Nimbus storage returning {error} on every request in {region}. {feel}",
			"Our whole {thing} is broken because Nimbus storage is throwing {error}. Happy {day}.",
			"{mins} minutes of Nimbus errors now. {symptom}.",
			"Nimbus is down and {who} is pinging me every thirty seconds.",
			"The pager just woke up {who}. Nimbus object storage outage, {error} everywhere.",
			"So Nimbus object storage is completely down. Anyone know what's going on?",
			"Nimbus outage: {symptom}. This is terrible.",
			"Can't deploy, can't upload, can't download. Nimbus is dead.",
			"Nimbus down again?! Our {thing} is failing with {error}. Awful.",
			"The Nimbus status page is useless, {symptom} and nobody says anything.",
			"Not a great {day} to run everything on Nimbus. {error} since {clock} UTC.",
			"Nimbus storage outage is taking down our {thing}. Customers are angry.",
			"If your {thing} is broken right now, it's Nimbus. {error} in {region}.",
			"Nimbus object storage down, {symptom}. Worst outage we've had this year.",
			"Anyone from Nimbus awake? {symptom} in {region} and the status page is silent.",
			"Just spent 20 minutes debugging our {thing} before realising Nimbus is down. {feel}",
			"Nimbus object storage: {error}. Retries don't help. Nothing works.",
			"Our status page is red because Nimbus is down. Fun {day}.",
			"Day off ruined, Nimbus storage is failing for {who}.",
		},
		"de": {
			"Nimbus ist down. {symptom}.",
			"Störung bei Nimbus Cloud: {symptom}. {feel}",
			"Großer Ausfall bei Nimbus, unser {thing} ist komplett kaputt.",
			"Ist Nimbus gerade down bei euch? Bei uns geht gar nichts mehr.",
			"Seit {clock} Uhr nur noch {error} vom Nimbus Object Storage. Nervig.",
			"Nimbus Cloud hat eine Störung, {symptom}. {feel}",
			"Schon wieder ein Ausfall bei Nimbus. {who} dreht durch.",
			"Nimbus ist kaputt, {symptom}. Das ist echt ärgerlich.",
			"Der Nimbus Storage ist nicht erreichbar, {error} in {region}. Wie soll man so arbeiten?",
			"Nimbus-Ausfall seit {mins} Minuten. {symptom}. Katastrophe.",
			"Totalausfall bei Nimbus. Unser {thing} steht still.",
			"Hat jemand bei Nimbus eine Ahnung, was los ist? {symptom}, die Statusseite schweigt.",
			"Zwanzig Minuten unser {thing} debuggt, dabei ist einfach Nimbus down. {feel}",
			"Nimbus Object Storage: {error}. Retries helfen nicht, nichts funktioniert.",
		},
	},
	recovery: {
		"en": {
			"Nimbus is back! Uploads working again.",
			"Looks like Nimbus storage is back up in {region}. Fingers crossed.",
			"Finally. Nimbus works again after {hours} of downtime.",
			"Our {thing} is green again, Nimbus seems to be fixed. Thanks to everyone who kept calm.",
			"Nimbus is back up. Time for a very late lunch.",
			"Errors gone, Nimbus object storage recovered. What a relief.",
			"Nimbus status page says monitoring and our errors dropped to zero. Good job on the rollback.",
			"Confirmed, Nimbus is working again in {region}. Great news.",
		},
		"de": {
			"Nimbus läuft wieder. Endlich!",
			"Läuft wieder bei uns, Nimbus scheint behoben. Danke an alle, die durchgehalten haben.",
			"Nimbus ist behoben, Uploads gehen wieder. Sehr gut!",
			"Nimbus geht wieder. Nach {hours} Ausfall ist unser {thing} wieder da.",
			"Nimbus ist wieder erreichbar. Puh, was für eine Erleichterung.",
			"Alles wieder grün bei Nimbus. Gut gemacht mit dem Rollback.",
		},
	},
	aftermath: {
		"en": {
			"Lesson from today's Nimbus outage: have a second region for the {thing}.",
			"Nimbus says a bad config push to the metadata service caused the outage. Reading the report now.",
			"Post-incident review for the Nimbus outage is worth reading: {link}",
			"We lost about {hours} of uploads in the Nimbus outage. Writing our own postmortem tomorrow.",
			"The Nimbus status page took a while to say anything today. That needs to change.",
			"Adding a fallback bucket outside Nimbus after today. Should have done it earlier.",
			"Good thread on how the Nimbus outage spread to the CDN. Interesting failure mode.",
			"Kudos to the Nimbus team for a detailed and honest post-incident review.",
		},
		"de": {
			"Nachlese zum Nimbus-Ausfall: ein fehlerhaftes Config-Update am Metadaten-Dienst.",
			"Lehre aus der Nimbus-Störung: Backups brauchen eine zweite Region.",
			"Der Bericht von Nimbus zum Ausfall ist online: {link}",
			"Nimbus hat die Störung erst spät auf der Statusseite gemeldet. Das muss besser werden.",
			"Wir bauen nach dem Nimbus-Ausfall einen zweiten Speicherort für unser {thing} ein.",
			"Respekt an das Nimbus-Team für den ehrlichen und ausführlichen Bericht.",
		},
	},
}

// replies are what answers say, by phase and language.
var replies = [nPhases]map[string][]string{
	baseline: {
		"en": {"Same experience with Nimbus here, works great.", "Nimbus pricing is fine until you read the egress line.", "We use the Nimbus CLI for that, works well."},
		"de": {"Bei uns läuft Nimbus auch super.", "Die Nimbus CLI kann das, klappt gut.", "Gleiche Erfahrung mit Nimbus, alles gut."},
	},
	outage: {
		"en": {"Same here, Nimbus is down in {region} too.", "Same. {symptom}. Nimbus is broken.", "Can confirm, Nimbus gives us {error}.", "Yep, Nimbus is down for us as well. Awful timing.", "Same with Nimbus here. Status page still green?!"},
		"de": {"Hier auch, Nimbus ist down.", "Bei uns auch, {symptom}. Nimbus ist kaputt.", "Kann ich bestätigen, Nimbus liefert {error}.", "Ja, Störung bei Nimbus auch bei uns."},
	},
	recovery: {
		"en": {"Nimbus is back for us too.", "Confirmed, Nimbus works again here.", "Nimbus recovered in {region} as well, finally."},
		"de": {"Bei uns läuft Nimbus auch wieder, super.", "Hier geht Nimbus auch wieder, endlich.", "Bestätigt, Nimbus funktioniert wieder."},
	},
	aftermath: {
		"en": {"Good point, we are adding a second region after this Nimbus mess.", "The Nimbus report is better than most, to be fair."},
		"de": {"Guter Punkt, wir brauchen auch eine zweite Region neben Nimbus.", "Der Nimbus-Bericht ist immerhin ehrlich."},
	},
}

// quotes are what quoting posts add.
var quotes = map[string][]string{
	"en": {"This is the Nimbus outage in one post.", "Nimbus, please.", "Exactly our situation with Nimbus right now.", "The Nimbus status page really needs to be faster."},
	"de": {"Genau so sieht der Nimbus-Ausfall bei uns aus.", "Nimbus, bitte.", "Das trifft es. Nimbus Störung."},
}

// stories are Hacker News titles and Reddit submission titles by phase and
// language (Hacker News only English).
var stories = [nPhases]map[string][]string{
	baseline: {
		"en": {"Nimbus Cloud adds lifecycle rules to object storage", "Ask: Experiences with Nimbus Cloud object storage?", "Nimbus Cloud pricing for cold storage compared"},
		"de": {"Erfahrungen mit Nimbus Cloud als Backup-Ziel?"},
	},
	outage: {
		"en": {"Nimbus Cloud object storage is down", "Ask: Is Nimbus object storage down for everyone?", "Nimbus Cloud outage: elevated error rates for object storage"},
		"de": {"Nimbus Cloud Störung? Object Storage nicht erreichbar", "Ausfall bei Nimbus Cloud?"},
	},
	recovery: {
		"en": {"Nimbus object storage is back up"},
		"de": {"Nimbus läuft wieder"},
	},
	aftermath: {
		"en": {"Nimbus Cloud post-incident review: storage metadata outage", "What the Nimbus outage teaches about single-region storage"},
		"de": {"Nimbus Cloud: Bericht zum Ausfall des Object Storage"},
	},
}

// Decorations added around some posts.
var (
	prefixes = map[string][]string{
		"en": {"Ugh. ", "Welp. ", "So... ", "Heads up: ", "PSA: "},
		"de": {"Na toll. ", "Mal wieder: ", "Achtung: ", "Kurze Info: "},
	}
	emoji = map[phase][]string{
		outage:   {" 😩", " 🔥", " 🙃", " 😤", " 💀"},
		recovery: {" 🎉", " 🙏", " ✅", " 😅"},
	}
	phaseTags = [nPhases]map[string][]string{
		baseline:  {"en": {"#NimbusCloud", "#devops", "#cloud"}, "de": {"#NimbusCloud", "#devops"}},
		outage:    {"en": {"#nimbusdown", "#nimbusdown", "#outage", "#sre"}, "de": {"#nimbusdown", "#Störung", "#Störung", "#Ausfall"}},
		recovery:  {"en": {"#nimbusdown", "#NimbusCloud"}, "de": {"#nimbusdown", "#NimbusCloud"}},
		aftermath: {"en": {"#postmortem", "#sre", "#NimbusCloud"}, "de": {"#NimbusCloud", "#Störung"}},
	}
)

// People. Names are common first names with a last initial; handles are
// built from them and marked as demo handles (see the package doc).
var (
	firstNames = map[string][]string{
		"en": {"Alex", "Sam", "Jordan", "Priya", "Maya", "Chris", "Dana", "Noah", "Olivia", "Ethan", "Grace", "Leo", "Zoe", "Ravi", "Hannah", "Marcus", "Nina", "Tom", "Ava", "Jamal", "Ruth", "Ivan", "Chloe", "Ben", "Lucy", "Omar", "Kate", "Felix", "Iris", "Wes"},
		"de": {"Lena", "Jonas", "Mia", "Lukas", "Sophie", "Felix", "Anna", "Paul", "Lea", "Tim", "Clara", "Jan", "Marie", "Nico", "Julia", "Ben", "Emma", "Max", "Laura", "Finn", "Katrin", "Stefan", "Sabine", "Jörg"},
	}
	handleWords = []string{"ops", "dev", "builds", "cloud", "sre", "infra", "data", "codes", "bytes", "ships", "oncall", "stack", "logs", "tinkers", "pipes", "hacks"}
	subreddits  = map[string][]string{"en": {"devops", "sysadmin", "webdev", "selfhosted"}, "de": {"de_EDV", "informatik"}}
	instances   = map[string][]string{"en": {"social.demo.invalid", "toot.demo.invalid", "tech.demo.invalid"}, "de": {"nord.demo.invalid", "social.demo.invalid", "kiez.demo.invalid"}}
)
