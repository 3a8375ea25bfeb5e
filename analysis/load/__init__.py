"""Reading the files a municipality has into the clean model (one module per source kind)."""
