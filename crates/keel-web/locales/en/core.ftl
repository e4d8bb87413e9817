app-tagline = Client and agency, one honest workspace
nav-projects = Projects
nav-logout = Log out
nav-language = Language
nav-account = Settings
definitions-title = How Keel computes its figures
definitions-intro = Every number on Keel's pages links here. The formulas are those of the product specification, and tests check them against hand-worked values and real data.
nav-definitions = Definitions
error-back = Back to your projects
error-404 = Nothing here
error-404-hint = The page does not exist, or you do not have access to it. Check the address or go back to your projects.
error-403 = Not allowed
error-403-hint = Your role in this project does not allow this. Ask the project's client owner or the agency lead.
error-400 = Something in the request is wrong
error-500 = Something broke on our side
error-500-hint = The failure was logged. Try again in a moment.
error-other = The request could not be completed
flash-saved = Saved.
flash-brief_saved = The new version of the brief is saved.
flash-brief_acknowledged = Brief acknowledged.
flash-goal_set = Goal set. It counts once both sides agree it.
flash-goal_changed = Goal changed. Both sides agree it again.
flash-goal_agreed = Goal agreed for your side.
flash-goal_archived = Goal archived.
flash-meeting_saved = Meeting saved.
flash-post_created = Draft created.
flash-post_saved = Post saved.
flash-post_moved = Done: the post's state changed.
flash-comment_added = Comment added.
nav-notifications = Notifications
common-save = Save

# Counts with their nouns (CLDR plural forms).
count-posts = { $n ->
    [one] { $n } post
   *[other] { $n } posts
}
count-more = +{ $n } more
count-problems = { $n ->
    [one] { $n } problem
   *[other] { $n } problems
}
count-unread = { $n ->
    [one] { $n } unread
   *[other] { $n } unread
}
count-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
count-people = { $n ->
    [one] { $n } person
   *[other] { $n } people
}
count-rounds = { $n ->
    [one] { $n } round
   *[other] { $n } rounds
}
count-items = { $n ->
    [one] { $n } item
   *[other] { $n } items
}
count-warnings = { $n ->
    [one] { $n } warning
   *[other] { $n } warnings
}
form-see_below = The form was not saved: see the highlighted field below.
