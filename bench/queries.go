package bench

import "time"

// Queries returns the fixed query set (Bleve's query-string syntax has no
// grouping: optional clauses with no required one need one match), for a corpus laid out by Replay from
// start over span. The terms were chosen from the seed (../shared/data):
// "mystic" is in one seed post, "https" (a link) in about half of them.
func Queries(start time.Time, span time.Duration) []Query {
	hour := start.Add(span / 2)
	return []Query{
		{Name: "rare term", Ours: "mystic", Bleve: "+text:mystic", FTS5: "mystic", Sort: ByRelevance, Size: 20},
		{Name: "common term", Ours: "https", Bleve: "+text:https", FTS5: "https", Sort: ByRelevance, Size: 20},
		{Name: "phrase", Ours: `"boris johnson"`, Bleve: `+text:"boris johnson"`, FTS5: `"boris johnson"`, Sort: ByRelevance, Size: 20},
		{Name: "boolean", Ours: "(brexit OR hanna) -eu", Bleve: "text:brexit text:hanna -text:eu", FTS5: "(brexit OR hanna) NOT eu", Sort: ByRelevance, Size: 20},
		{Name: "German inflected form", Ours: "Befristungen", Bleve: "+text:befristungen", FTS5: "befristungen", Sort: ByRelevance, Size: 20},
		{Name: "hashtag", Ours: "#ichbinhanna", Bleve: "+hashtags:ichbinhanna", FTS5: "hashtags:ichbinhanna", Sort: ByTime, Size: 20},
		{Name: "author", Ours: "from:PhillyNEFL", Author: "PhillyNEFL", Sort: ByTime, Size: 20},
		{Name: "time-filtered", Ours: "https", Bleve: "+text:https", FTS5: "https", From: hour, To: hour.Add(time.Hour), Sort: ByTime, Size: 20},
		{Name: "sorted by time", Ours: "brexit", Bleve: "+text:brexit", FTS5: "brexit", Sort: ByTime, Size: 20},
		{Name: "by relevance", Ours: "brexit johnson", Bleve: "+text:brexit +text:johnson", FTS5: "brexit johnson", Sort: ByRelevance, Size: 20},
	}
}

// HistogramQuery is the query whose hits the histogram counts: a common
// term over the whole three days, in 5-minute buckets.
func HistogramQuery(start time.Time, span time.Duration) (Query, time.Duration) {
	return Query{Name: "histogram 5 min × 3 days", Ours: "https", Bleve: "+text:https", FTS5: "https", From: start, To: start.Add(span), Sort: ByTime}, 5 * time.Minute
}

// FacetQuery is the query whose facets are counted.
func FacetQuery() Query {
	return Query{Name: "facets", Ours: "brexit", Bleve: "+text:brexit", FTS5: "brexit", Sort: ByRelevance, Size: 20}
}

// DeepPageQuery is the query paged deep: page 50 of a common term, newest first.
func DeepPageQuery() (Query, int) {
	return Query{Name: "deep page (50th of 20)", Ours: "https", Bleve: "+text:https", FTS5: "https", Sort: ByTime, Size: 20}, 49
}
