# Writes the R-data fixtures of the rdata tests and the reference CSV they
# are checked against. Run from this directory with Debian's r-base-core
# (R 4.2.2): Rscript make_fixtures.R
frame <- data.frame(
  lgl = c(TRUE, FALSE, NA, TRUE, FALSE),
  int = c(1L, -2L, NA, 2147483647L, -2147483647L),
  dbl = c(1.5, -0.25, NA_real_, NaN, 1e300),
  fct = factor(c("b", "a", NA, "c", "a"), levels = c("c", "b", "a")),
  ord = factor(c("lo", "hi", "mid", NA, "lo"), levels = c("lo", "mid", "hi"), ordered = TRUE),
  chr = c("x", NA, "\u00e9 \u00fc", "", "x"),
  seq = 1:5,
  num = as.character(11:15),
  day = as.Date(c("2001-01-01", NA, "1969-12-31", "2024-02-29", "1970-01-01")),
  stringsAsFactors = FALSE
)
other <- list(a = 1, b = "not a data frame")
second <- data.frame(k = c(3L, 4L))

for (v in 2:3) {
  for (comp in c("none", "gzip", "bzip2", "xz")) {
    save(other, frame, second, file = sprintf("frame_v%d_%s.rda", v, comp), version = v,
         compress = if (comp == "none") FALSE else comp)
  }
}
saveRDS(frame, "frame_v3.rds", version = 3, compress = "xz")
saveRDS(frame, "frame_v2.rds", version = 2, compress = FALSE)

# Reference: one line per row, cells as R prints them, NA for missing.
ref <- frame
ref$dbl <- ifelse(is.na(frame$dbl), NA, sprintf("%.17g", frame$dbl))
ref$day <- format(frame$day)
write.csv(ref, "frame.csv", row.names = FALSE, na = "NA", fileEncoding = "UTF-8")
# Which missing doubles are NA_real_ (payload 1954) rather than NaN.
writeLines(paste(is.na(frame$dbl) & !is.nan(frame$dbl), collapse = ","), "frame_dbl_na.txt")
