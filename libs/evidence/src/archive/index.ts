// The database side of archiving (reads the ledger, records, detaches); the file format and its offline verifier are in the main entry.
export * from './archive-month.js';
