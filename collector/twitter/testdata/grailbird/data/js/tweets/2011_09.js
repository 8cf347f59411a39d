Grailbird.data.tweets_2011_09 = 
 [ {
  "source" : "\u003Ca href=\"http:\/\/twitter.com\/download\/iphone\" rel=\"nofollow\"\u003ETwitter for iPhone\u003C\/a\u003E",
  "entities" : {
    "user_mentions" : [ ],
    "media" : [ ],
    "hashtags" : [ {
      "text" : "outage",
      "indices" : [ 38, 45 ]
    } ],
    "urls" : [ {
      "indices" : [ 46, 66 ],
      "url" : "http:\/\/t.co\/aBcDeF1",
      "expanded_url" : "http:\/\/status.example.com\/",
      "display_url" : "status.example.com"
    } ]
  },
  "geo" : { },
  "id_str" : "119885135015768064",
  "text" : "Mail has been down for an hour &amp; more #outage http:\/\/t.co\/aBcDeF1",
  "id" : 119885135015768064,
  "created_at" : "2011-09-30 21:49:47 +0000",
  "user" : {
    "name" : "Alice Example",
    "screen_name" : "alice_ex",
    "protected" : false,
    "id_str" : "14000006",
    "profile_image_url_https" : "https:\/\/si0.twimg.com\/profile_images\/1\/a_normal.png",
    "id" : 14000006,
    "verified" : false
  }
}, {
  "source" : "web",
  "retweeted_status" : {
    "source" : "web",
    "entities" : {
      "user_mentions" : [ ],
      "media" : [ ],
      "hashtags" : [ ],
      "urls" : [ ]
    },
    "geo" : { },
    "id_str" : "119880000000000001",
    "text" : "We are aware of problems delivering mail and are working on a fix. Updates follow here every 30 minutes until it is resolved.",
    "id" : 119880000000000001,
    "created_at" : "2011-09-30 21:29:21 +0000",
    "user" : {
      "name" : "Example Mail Status",
      "screen_name" : "examplemail",
      "protected" : false,
      "id_str" : "15000007",
      "profile_image_url_https" : "https:\/\/si0.twimg.com\/profile_images\/2\/m_normal.png",
      "id" : 15000007,
      "verified" : true
    }
  },
  "entities" : {
    "user_mentions" : [ {
      "name" : "Example Mail Status",
      "screen_name" : "examplemail",
      "indices" : [ 3, 15 ],
      "id_str" : "15000007",
      "id" : 15000007
    } ],
    "media" : [ ],
    "hashtags" : [ ],
    "urls" : [ ]
  },
  "geo" : { },
  "id_str" : "119883000000000002",
  "text" : "RT @examplemail: We are aware of problems delivering mail and are working on a fix. Updates follow here every 30 minutes until ...",
  "id" : 119883000000000002,
  "created_at" : "2011-09-30 21:38:02 +0000",
  "user" : {
    "name" : "Alice Example",
    "screen_name" : "alice_ex",
    "protected" : false,
    "id_str" : "14000006",
    "profile_image_url_https" : "https:\/\/si0.twimg.com\/profile_images\/1\/a_normal.png",
    "id" : 14000006,
    "verified" : false
  }
}, {
  "source" : "web",
  "entities" : {
    "user_mentions" : [ {
      "name" : "Example Mail Status",
      "screen_name" : "examplemail",
      "indices" : [ 0, 12 ],
      "id_str" : "15000007",
      "id" : 15000007
    } ],
    "media" : [ ],
    "hashtags" : [ ],
    "urls" : [ ]
  },
  "in_reply_to_status_id_str" : "119880000000000001",
  "geo" : { },
  "id_str" : "119879000000000003",
  "in_reply_to_user_id" : 15000007,
  "text" : "@examplemail any news?",
  "id" : 119879000000000003,
  "in_reply_to_status_id" : 119880000000000001,
  "created_at" : "2011-09-30 21:20:00 +0000",
  "in_reply_to_screen_name" : "examplemail",
  "in_reply_to_user_id_str" : "15000007",
  "user" : {
    "name" : "Alice Example",
    "screen_name" : "alice_ex",
    "protected" : false,
    "id_str" : "14000006",
    "profile_image_url_https" : "https:\/\/si0.twimg.com\/profile_images\/1\/a_normal.png",
    "id" : 14000006,
    "verified" : false
  }
} ]
