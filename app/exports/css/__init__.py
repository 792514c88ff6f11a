"""Template stylesheets (package data), read by `app.exports.templates`."""
