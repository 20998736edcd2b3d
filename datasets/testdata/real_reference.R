# Reference values of the fetched R datasets, computed with R 4.2.2 from
# the files inside the pinned Debian packages (extract each with
# dpkg-deb -x PKG.deb DIR, then run: Rscript real_reference.R DIR).
# The output, real_reference.txt, is checked by TestFetchedReference.
args <- commandArgs(trailingOnly = TRUE)
lib <- file.path(args[1], "usr/lib/R/site-library")
get1 <- function(f) { e <- new.env(); n <- load(f, envir = e); get(n[1], e) }
cps <- get1(file.path(lib, "AER/data/CPS1988.rda"))
inc <- get1(file.path(lib, "kernlab/data/income.rda"))
eu <- get1(file.path(lib, "laeken/data/eusilc.RData"))
out <- c(
  sprintf("cps1988 rows %d cols %d", nrow(cps), ncol(cps)),
  sprintf("cps1988 mean wage %.10g", mean(cps$wage)),
  sprintf("cps1988 afam %d", sum(cps$ethnicity == "afam")),
  sprintf("income rows %d cols %d", nrow(inc), ncol(inc)),
  sprintf("income missing %d", sum(is.na(inc))),
  sprintf("income missing LANGUAGE %d", sum(is.na(inc$LANGUAGE))),
  sprintf("eusilc rows %d cols %d", nrow(eu), ncol(eu)),
  sprintf("eusilc households %d", length(unique(eu$db030))),
  sprintf("eusilc missing %d", sum(is.na(eu))),
  sprintf("eusilc sum py010n %.10g", sum(eu$py010n, na.rm = TRUE))
)
writeLines(out, "real_reference.txt")
