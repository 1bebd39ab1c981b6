// Imported first by the tests that call every route for every actor (authorization matrix, isolation): the
// monitoring report's PDF route then runs its access check (the published report of this commune, or 404) and
// answers its "PDF unavailable" page, instead of starting Chromium for each of hundreds of calls. The PDF itself
// is tested in monitoring.test.ts.
process.env.CHROMIUM_PATH = '/nonexistent/chromium';
