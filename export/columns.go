package export

import (
	"strconv"
	"strings"
	"time"
)

// kind says how a column's cells are written.
type kind uint8

const (
	kText  kind = iota // text from a post, an author or a reporter: neutralised in CSV
	kID                // a post id: must stay text in a spreadsheet
	kURL               // a link: a hyperlink in XLSX
	kInt               // a count we format
	kFloat             // a score we format ("" = not scored)
	kTime              // a time we format
	kLong              // long text: wrapped and truncated to the cell limit in XLSX
)

// column is one column of the CSV and XLSX exports.
type column struct {
	name  string
	kind  kind
	width float64 // XLSX column width in characters
}

// columns is the column set of the CSV and XLSX exports; see the package
// documentation.
var columns = [...]column{
	{"position", kInt, 8},
	{"post_id", kID, 30},
	{"source", kText, 11},
	{"author_name", kText, 22},
	{"author_handle", kText, 20},
	{"permalink", kURL, 42},
	{"created_utc", kTime, 21},
	{"created_local", kTime, 21},
	{"lang", kText, 6},
	{"text", kLong, 70},
	{"likes", kInt, 8},
	{"reposts", kInt, 8},
	{"replies", kInt, 8},
	{"quotes", kInt, 8},
	{"reply_to", kID, 30},
	{"quote_of", kID, 30},
	{"status", kText, 9},
	{"current_text", kLong, 50},
	{"collected_utc", kTime, 21},
	{"sentiment_label", kText, 10},
	{"sentiment_score", kFloat, 10},
	{"content_hash", kText, 20},
	{"note", kLong, 40},
	{"tags", kText, 18},
	{"added_by", kText, 14},
	{"added_utc", kTime, 21},
}

// Column indexes used by the writers.
const (
	colPermalink = 5
	nColumns     = len(columns)
)

// Columns returns the names of the CSV and XLSX columns, in order.
func Columns() []string {
	names := make([]string, nColumns)
	for i, c := range columns {
		names[i] = c.name
	}
	return names
}

// fillRow sets row (of length nColumns) to the cells of it as strings: text
// cleaned (see cleanText), numbers and times formatted, nothing neutralised.
func fillRow(row []string, it *Item, loc *time.Location) {
	row[0] = strconv.Itoa(it.Position)
	row[1] = cleanText(it.PostID)
	row[2] = cleanText(it.Source)
	row[3] = cleanText(it.AuthorName)
	row[4] = cleanText(it.AuthorHandle)
	row[5] = cleanText(it.Permalink)
	row[6] = isoUTC(it.CreatedAt)
	row[7] = local(it.CreatedAt, loc)
	row[8] = cleanText(it.Lang)
	row[9] = cleanText(it.Text)
	row[10] = strconv.FormatInt(it.Likes, 10)
	row[11] = strconv.FormatInt(it.Reposts, 10)
	row[12] = strconv.FormatInt(it.Replies, 10)
	row[13] = strconv.FormatInt(it.Quotes, 10)
	row[14] = cleanText(it.ReplyTo)
	row[15] = cleanText(it.QuoteOf)
	row[16] = cleanText(string(it.Status))
	row[17] = cleanText(it.CurrentText)
	row[18] = isoUTC(it.CollectedAt)
	row[19] = cleanText(it.SentimentLabel)
	row[20] = formatScore(it)
	row[21] = cleanText(it.ContentHash)
	row[22] = cleanText(it.Note)
	row[23] = cleanText(strings.Join(it.Tags, ", "))
	row[24] = cleanText(it.AddedBy)
	row[25] = isoUTC(it.AddedAt)
}
