package synthor

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseReply(t *testing.T) {
	paper := `{"n_proposals": 2,
 "proposal1": {"reason": "young male Electronics 12.0% vs 4.1%", "proposal": {"user_age": [18, 35], "user_gender": "Male", "product_category": "Electronics"}, "num": 6},
 "proposal2": {"reason": "r2", "proposal": {"user_age": 40, "user_gender": "Female", "product_category": "Food & Beverages"}, "num": 4}}`
	want := []Proposal{
		{Reason: "young male Electronics 12.0% vs 4.1%", Values: map[string]Value{"user_age": Range(18, 35), "user_gender": Cat("Male"), "product_category": Cat("Electronics")}, Num: 6},
		{Reason: "r2", Values: map[string]Value{"user_age": Range(40, 40), "user_gender": Cat("Female"), "product_category": Cat("Food & Beverages")}, Num: 4},
	}
	arrayShape := `{"proposals": [
 {"reason": "young male Electronics 12.0% vs 4.1%", "proposal": {"user_age": [18, 35], "user_gender": "Male", "product_category": "Electronics"}, "num": 6},
 {"reason": "r2", "proposal": {"user_age": 40, "user_gender": "Female", "product_category": "Food & Beverages"}, "num": 4}]}`
	for _, tc := range []struct {
		name, text string
		want       []Proposal
	}{
		{"paper shape", paper, want},
		{"proposals array", arrayShape, want},
		{"bare array", strings.TrimSuffix(strings.TrimPrefix(arrayShape, `{"proposals": `), "}"), want},
		{"code fence and prose", "Here is my plan:\n```json\n" + paper + "\n```\nLet me know.", want},
		{"prose around, no fence", "Sure! " + paper + " Hope this helps {:}", want},
		{"bracketed prose first", "Proposals [as asked]: " + paper, want},
		{"trailing commas", strings.ReplaceAll(strings.ReplaceAll(paper, `"num": 4}`, `"num": 4,},`), `"Male", "product`, `"Male", "product`), want},
		{"comments", strings.Replace(strings.Replace(paper, `"num": 6},`, `"num": 6}, // the largest gap`, 1), `"num": 4}`, `"num": 4 /* rounded */}`, 1), want},
		{"url in a string is not a comment", `{"proposal1": {"reason": "see http://x.org/a", "proposal": {"a": "x"}, "num": 1}} // done`,
			[]Proposal{{Reason: "see http://x.org/a", Values: map[string]Value{"a": Cat("x")}, Num: 1}}},
		{"keys out of order and styled", `{"Proposal_2": {"proposal": {"a": "y"}, "num": 1}, "proposal1": {"proposal": {"a": "x"}, "num": "3"}, "n_proposals": 2}`,
			[]Proposal{{Values: map[string]Value{"a": Cat("x")}, Num: 3}, {Values: map[string]Value{"a": Cat("y")}, Num: 1}}},
		{"proposal10 after proposal2", `{"proposal10": {"proposal": {"a": "z"}, "num": 1}, "proposal2": {"proposal": {"a": "y"}, "num": 1}}`,
			[]Proposal{{Values: map[string]Value{"a": Cat("y")}, Num: 1}, {Values: map[string]Value{"a": Cat("z")}, Num: 1}}},
		{"single proposal", `{"reason": "r", "proposal": {"a": [1.5, 2]}, "num": 2.0}`,
			[]Proposal{{Reason: "r", Values: map[string]Value{"a": Range(1.5, 2)}, Num: 2}}},
		{"brace inside a string", `{"proposal1": {"reason": "cells {a} and [b", "proposal": {"a": "x}"}, "num": 1}}`,
			[]Proposal{{Reason: "cells {a} and [b", Values: map[string]Value{"a": Cat("x}")}, Num: 1}}},
		{"members", `{"proposal1": {"proposal": {"tenure": "Owned"}, "members": [{"proposal": {"age": [30, 40]}}, {"age": [1, 5]}], "num": 2}}`,
			[]Proposal{{Values: map[string]Value{"tenure": Cat("Owned")}, Num: 2, Members: []Proposal{
				{Values: map[string]Value{"age": Range(30, 40)}}, {Values: map[string]Value{"age": Range(1, 5)}}}}}},
		{"negative num passes to the loop", `{"proposal1": {"proposal": {"a": "x"}, "num": -2}}`,
			[]Proposal{{Values: map[string]Value{"a": Cat("x")}, Num: -2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseReply(tc.text)
			if err != nil {
				t.Fatalf("ParseReply: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(tc.want)
				t.Errorf("got  %s\nwant %s", g, w)
			}
		})
	}
}

func TestParseReplyErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"empty", "  ", "reply is empty"},
		{"prose only", "I cannot help with that.", `reply holds no JSON object: "I cannot help with that."`},
		{"truncated", `{"n_proposals": 2, "proposal1": {"reason": "because", "proposal": {"a": "x"}, "num": 3}, "proposal2": {"reas`, "looks cut off"},
		{"truncated in fence", "```json\n{\"proposal1\": {\"proposal\": {\"a\": [1,", "looks cut off"},
		{"mismatched", `Sure! {"proposal1": {"proposal": {"a": [1, 2}}]]`, "mismatched"},
		{"not JSON inside brackets", `{"proposal1": {proposal: x}}`, "not valid JSON"},
		{"no proposals", `{"n_proposals": 0}`, `want keys "proposal1", "proposal2", ... or a "proposals" array, got keys [n_proposals]`},
		{"empty array", `{"proposals": []}`, "no proposals"},
		{"proposals not array", `{"proposals": {"a": 1}}`, `"proposals" is a JSON object`},
		{"string top", `["x"]`, "proposal 1: is a JSON string"},
		{"missing proposal", `{"proposal1": {"reason": "r", "num": 2}}`, `proposal1: missing "proposal"`},
		{"proposal not object", `{"proposal1": {"proposal": ["a"], "num": 2}}`, `proposal1: "proposal" is a JSON array`},
		{"empty proposal", `{"proposal1": {"proposal": {}, "num": 2}}`, `"proposal" is empty`},
		{"missing num", `{"proposal1": {"proposal": {"a": "x"}}}`, `proposal1: missing "num"`},
		{"fractional num", `{"proposal1": {"proposal": {"a": "x"}, "num": 2.5}}`, `"num": want an integer, got 2.5`},
		{"num word", `{"proposal1": {"proposal": {"a": "x"}, "num": "five"}}`, `"num": want an integer, got the string "five"`},
		{"num bool", `{"proposal1": {"proposal": {"a": "x"}, "num": true}}`, `"num": want an integer, got boolean (true)`},
		{"wrong type bool", `{"proposal1": {"proposal": {"age": true, "g": "M"}, "num": 1}}`, `proposal1: variable "age": want a category string, a [min, max] pair of numbers or null, got boolean (true)`},
		{"wrong type object", `{"proposal1": {"proposal": {"age": {"min": 1}}, "num": 1}}`, `variable "age"`},
		{"range of three", `{"proposal1": {"proposal": {"age": [1, 2, 3]}, "num": 1}}`, `got an array of 3 element(s) (number, number, number)`},
		{"range of strings", `{"proposal1": {"proposal": {"age": ["18", "35"]}, "num": 1}}`, `(string, string)`},
		{"huge number", `{"proposal1": {"proposal": {"age": 1e999}, "num": 1}}`, `number 1e999 is out of range`},
		{"reason not string", `{"proposal1": {"reason": 3, "proposal": {"a": "x"}, "num": 1}}`, `"reason" is a JSON number`},
		{"bad member", `{"proposal1": {"proposal": {"a": "x"}, "members": [{"age": false}], "num": 1}}`, `proposal1: members[0]: variable "age"`},
		{"members not array", `{"proposal1": {"proposal": {"a": "x"}, "members": 2, "num": 1}}`, `"members" is a JSON number`},
		{"number top", `42`, "reply holds no JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseReply(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestParseDependencies(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       [][]string
	}{
		{"paper shape", `{"1": ["age", "gender", "category"], "2": ["category", "price"], "3": ["tier", "payment"]}`,
			[][]string{{"age", "gender", "category"}, {"category", "price"}, {"tier", "payment"}}},
		{"numeric key order", `{"10": ["e", "f"], "2": ["c", "d"], "1": ["a", "b"]}`, [][]string{{"a", "b"}, {"c", "d"}, {"e", "f"}}},
		{"group keys", "```json\n{\"group2\": [\"c\", \"d\"], \"group1\": [\"a\", \"b\",],}\n```", [][]string{{"a", "b"}, {"c", "d"}}},
		{"array of arrays", `Groups: [["a", "b"], ["c", "d", "c"]]`, [][]string{{"a", "b"}, {"c", "d"}}},
		{"groups key", `{"groups": [[" a ", "b"]]}`, [][]string{{"a", "b"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDependencies(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, text, want string }{
		{"empty", "", "reply is empty"},
		{"no groups", "{}", "no groups"},
		{"singleton", `{"1": ["a"]}`, `group "1" has 1 distinct variable(s), need two or more`},
		{"duplicates only", `{"1": ["a", "a"]}`, `has 1 distinct`},
		{"not array", `{"1": "a, b"}`, `group "1" is a JSON string`},
		{"number element", `{"1": ["a", 2]}`, `group "1", element 2 is a JSON number`},
		{"top string", `"a"`, "no JSON object"},
		{"cut off", `{"1": ["a", "b"], "2": ["c",`, "cut off"},
		{"groups not array", `{"groups": 1}`, `"groups" is a JSON number`},
	} {
		t.Run("error/"+tc.name, func(t *testing.T) {
			_, err := ParseDependencies(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func FuzzParseReply(f *testing.F) {
	for _, s := range []string{
		`{"n_proposals": 1, "proposal1": {"reason": "r", "proposal": {"a": [1, 2], "b": "x"}, "num": 3}}`,
		`{"proposals": [{"proposal": {"a": "x"}, "num": 1}]}`,
		`{"proposal1": {"proposal": {"a": null, "b": [3, 3]}, "num": 1}}`,
		"```json\n{\"proposal1\": {\"proposal\": {\"a\": 1,}, \"num\": 1,}}\n```",
		`[{"proposal": {"a": "x"}, "members": [{"b": [0, 1]}], "num": 2}]`,
		`{"proposal1": {"proposal": {"a": "x}"}, "num": 1}} trailing {`,
		`Sure! {"proposal1": {"proposal": {"a": [1, 2}}]]`,
		`{"proposal1": {"reas`,
		`["\"", {"a": [}]`,
		"{\"proposal1\": {\"proposal\": {\"a\": \"x\"}, // c\n \"num\": 1 /* n */}}",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ps, err := ParseReply(text)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if len(ps) == 0 {
			t.Fatal("no error and no proposals")
		}
		for _, p := range ps {
			if len(p.Values) == 0 {
				t.Fatalf("proposal without values: %+v", p)
			}
			for _, v := range p.Values {
				if v.Range != nil && (v.Range[0] != v.Range[0] || v.Range[1] != v.Range[1]) {
					t.Fatalf("NaN in range %v", v)
				}
			}
			// What was accepted survives a round trip through the paper's shape.
			b, err := json.Marshal(map[string]any{"proposal1": p})
			if err != nil {
				t.Fatal(err)
			}
			again, err := ParseReply(string(b))
			if err != nil || len(again) != 1 || !reflect.DeepEqual(again[0].Values, p.Values) || again[0].Num != p.Num {
				t.Fatalf("round trip of %s: %v", b, err)
			}
		}
	})
}

func FuzzParseDependencies(f *testing.F) {
	for _, s := range []string{`{"1": ["a", "b"]}`, `[["a", "b"], ["c", "d"]]`, `{"groups": [["a","b",]]}`, "```\n{\"1\": [\"a\"", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		gs, err := ParseDependencies(text)
		if err != nil {
			return
		}
		for _, g := range gs {
			if len(g) < 2 {
				t.Fatalf("group %q has fewer than two names", g)
			}
		}
	})
}

func BenchmarkParseReply(b *testing.B) {
	one := func(i int) string {
		return `"proposal` + strconv.Itoa(i) + `": {"reason": "user_age in [18, 35], user_gender = Male, product_category = Electronics: target 12.0%, synthetic 4.1%", ` +
			`"proposal": {"user_age": [18, 35], "user_gender": "Male", "user_location_tier": "Developed", "product_category": "Electronics", "price": [948, 2000], "payment_method": "Online Payment"}, "num": 4}`
	}
	reply := func(k int) string {
		parts := make([]string, k)
		for i := range parts {
			parts[i] = one(i + 1)
		}
		return `{"n_proposals": ` + strconv.Itoa(k) + ", " + strings.Join(parts, ", ") + "}"
	}
	for _, tc := range []struct{ name, text string }{
		{"paper/5", reply(5)},
		{"untidy/5", "Here is the plan:\n```json\n" + strings.ReplaceAll(reply(5), `"num": 4}`, `"num": 4,}`) + "\n```\nDone."},
		{"paper/50", reply(50)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.text)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseReply(tc.text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
