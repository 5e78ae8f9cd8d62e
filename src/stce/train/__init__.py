"""Training material generated from the goods knowledge base and list data: the commodity-profile
handbook (customs, with a chapter for licensing and investigative staff) and quizzes."""
