"""One loader per official list format; each turns a file into `stce.model.ListEntry` records."""
