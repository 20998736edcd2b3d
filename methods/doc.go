// Package methods is the one registry of synthesis methods: LLMSynthor
// and every baseline, found by the names configs and --method use. Each
// entry (Method) holds everything the rest of synthor asks of a method:
// its typed params with kinds, ranges and defaults (Param), its memory
// factor, its capabilities (macro-only, grouped tables, copies records,
// calls an LLM, writes a trace) and its constructor. The interfaces it
// consumes are defined here: Synthesizer, and the optional TargetFitter,
// Summarizer and Labeler. The packages baselines and synthor only
// implement them.
//
// Data flows through an entry in three steps:
//
//  1. Lookup(name) finds the entry; an unknown name is an error wrapping
//     ErrUnknown that lists the valid ones.
//  2. Decode reads its values once, strictly, from a YAML section (a run
//     config's params, a synth config with --set and SYNTHOR_* variables
//     laid over it by LoadSettings), or Values from Go values (a cell's
//     JSON): an unknown key or a value out of its param's range is an
//     error naming the key. Values carry typed values (Values.Int,
//     Values.Joints, ...) and are written as JSON (Values.JSON).
//  3. New builds the synthesizer from the values and Options (the LLM
//     client, the trace writer).
//
// To add a method: write its entry (a *Method with Name, Label, Params,
// the capabilities that hold, Memory when measured above 1, and Build,
// which maps the values to the method's own config), add it to the
// registry list in registry.go, and add a compile-time check there
// (var _ Synthesizer = (*baselines.X)(nil)). Document its params in the
// README's table of methods; TestREADMEListsEveryParam fails until then.
//
// To add a param to a method: add a Param to its entry (Key, Kind, Default
// as a config writes it or empty when the method decides, Min and Max for
// numbers, Doc with the unit), read it in Build (v.Int("key"), ...; for
// llmsynthor: one given(...) line in llmsynthorConfig, with the field in
// synthor.Config), and add it to the README. The param's key is then read
// from configs, --set and SYNTHOR_KEY, and carried in cell.json, with no
// other edit.
package methods
