// The four gates passed in mvn verify, each with the command line's text, and wrote their reports.
def log = new File(basedir, 'build.log').text
assert log.contains('credit-g: PASS')
assert log.contains('no dataset drift')
assert log.contains('ok: 1 artifacts match the manifest of')
assert log.contains('all 5 rules passed')
assert log.contains('would promote credit/2 to champion')
assert log.contains('BUILD SUCCESS')
def json = new File(basedir, 'target/validation.json').text
assert json.contains('"passed" : true')
assert json.contains('"rows" : 1000')
assert new File(basedir, 'target/validation.html').text.startsWith('<!DOCTYPE html>')
assert new File(basedir, 'target/promotion.json').text.contains('"promoted" : false')
// a check moves nothing
assert new File(basedir, 'repo/credit/_aliases/champion').text.trim() == '1'
return true
