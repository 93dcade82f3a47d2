// No approval by alice: promote-check refuses the candidate, prints every rule, and moves nothing.
def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR]   FAIL  approvals: 0 of 1 required approvals')
assert log.contains('[ERROR]   PASS  metrics.auc.min: auc 0.810000 >= 0.750000')
assert log.contains('refused: credit/2 stays off champion, which stays at 1')
assert log.contains('mlops promote --dry-run failed: refused: credit/2 stays off champion')
assert log.contains('BUILD FAILURE')
assert new File(basedir, 'repo/credit/_aliases/champion').text.trim() == '1'
return true
