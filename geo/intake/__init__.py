"""What comes in from outside: ledgers, boundary files, geocoding, each file read in isolation."""
