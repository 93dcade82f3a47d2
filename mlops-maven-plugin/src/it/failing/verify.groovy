// The contract's age range fails on credit-g: the build fails with the same text as mlops validate.
def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] credit-g: FAIL')
assert log.contains('age.range')
assert log.contains('mlops validate failed: credit-g: FAIL')
assert log.contains('BUILD FAILURE')
assert new File(basedir, 'target/validation.json').text.contains('"passed" : false')
return true
