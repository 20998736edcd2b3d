// Package settings holds the typed values synthor's settings are made of,
// each with one parser, and the one overlay that reads them from a YAML
// config file, environment variables and --set key=value assignments.
//
// The values:
//
//	Joints     column groups "a,b,c;c,x" (each of two or more distinct columns)
//	Overrides  what-if target changes "var=category:share", comma-separated
//	Size       a memory size with its unit: 512MiB, 2GiB, 1.5GB
//	Duration   a duration with its unit: 90s, 10m, 1h30m (5 alone is an error)
//	Seed       a non-negative whole number; Seeds a list of distinct ones
//	Rows       a non-negative whole number of records
//
// Each is parsed by one function (ParseJoints, ParseOverrides, ParseSize,
// ParseDuration, ParseSeed, ParseSeeds, ParseRows) and used three ways: as
// a command-line flag (Set, String, Type: the pflag.Value contract), as a
// YAML value (UnmarshalYAML, yaml.v3) and as a struct field carried as JSON.
// A bad value is an error naming what was wrong; in YAML it names the line.
//
// Settings flow through an Overlay in three steps:
//
//  1. ReadFile reads a config file: exactly one YAML document, a mapping,
//     no key given an empty value (an empty list or section that is given
//     is an error, not the default), no key given twice.
//  2. Env adds the environment variables meant for the keys a command
//     declares (SYNTHOR_ITERATIONS for the key iterations), and Set adds
//     each --set key=value, in that order of precedence. A variable for a
//     key the command does not declare is not read: the environment is
//     ambient, and what is exported for one command or method never breaks
//     another.
//  3. Decode decodes a section strictly into a typed struct (an unknown
//     key is an error listing the valid ones, as yaml.v3's KnownFields);
//     every error is an *Error saying where the bad value came from (the
//     file and line, the --set assignment or the environment variable) and
//     naming its key path (methods[1].params.k).
package settings
