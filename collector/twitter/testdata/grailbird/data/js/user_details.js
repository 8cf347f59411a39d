var user_details =  {
  "screen_name" : "alice_ex",
  "location" : "Berlin",
  "full_name" : "Alice Example",
  "bio" : "Runs things that should not go down.",
  "id" : "14000006",
  "created_at" : "2008-04-01 10:00:00 +0000"
}
