var payload_details =  {
  "tweets" : 3,
  "created_at" : "2014-01-05 12:00:00 +0000",
  "lang" : "en"
}
