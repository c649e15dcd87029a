// Stands in for the seed's app.js: the loader only checks that the script exists.
