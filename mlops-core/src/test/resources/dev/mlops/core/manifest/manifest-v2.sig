{
  "formatVersion" : 1,
  "algorithm" : "Ed25519",
  "keyId" : "215d807bdb37300b4401e2c96bb08185db63b8c173a724f0bcb0a33e5428f10f",
  "manifestDigest" : "1f1ae8f0ba1aa9fcc5905e0bc9620f81ddcd7b49d0ca293ccd28fbde327ac86e",
  "signature" : "IZPkR7lQFkAKqaPgeOTDLf//LNj4EOzaxvrlzdD+3t6iCxik2c5OlbMF8XxKiqqtWFtJUTKSozmdog6/WK0NDw=="
}
