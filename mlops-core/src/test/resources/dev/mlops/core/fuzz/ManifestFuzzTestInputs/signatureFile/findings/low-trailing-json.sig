{
  "formatVersion" : 1,
  "algorithm" : "Ed25519",
  "keyId" : "215d807bdb37300b4401e2c96bb08185db63b8c173a724f0bcb0a33e5428f10f",
  "manifestDigest" : "87ad0b2a5dbb6a0d015fca0c233478db0af4f1df3678c52bc9f72a68b2592ffa",
  "signature" : "4To/6BRKDWT+FfJHkOAy823EKZalbpIcZNWo1BICNIENrDFBDbWVF02DQAskqK+U3ny62RpAZxD2T9HisjLpDg=="
}
[]
