package main

import (
	"testing"
	"time"
)

// The values shared/models/metric-knobs.test.ts accepts must compile and evaluate here.
func TestKnobValues(t *testing.T) {
	cases := []struct {
		source   string
		replicas int
		since    time.Duration
		want     string
	}{
		{"120", 3, 0, "120"},
		{"2.5", 3, 0, "2500m"},
		{"-3", 3, 0, "-3"},
		{".5", 3, 0, "500m"},
		{"1e3", 3, 0, "1e3"},
		{"500m", 3, 0, "500m"},
		{"2k", 3, 0, "2k"},
		{"600 / replicas", 4, 0, "150"},
		{"max(0, 900 - 30 * replicas * t)", 2, 10 * time.Second, "300"},
		{"max(0, 900 - 30 * replicas * t)", 2, time.Minute, "0"},
		{"ceil(t / 60) * 500 + round(replicas)", 2, 90 * time.Second, "1002"},
	}
	for _, c := range cases {
		k, err := compileKnob(c.source)
		if err != nil {
			t.Fatalf("%q: %v", c.source, err)
		}
		got, err := k.value(c.replicas, c.since)
		if err != nil {
			t.Fatalf("%q: %v", c.source, err)
		}
		if got.String() != c.want {
			t.Errorf("%q with replicas=%d t=%s: got %s, want %s", c.source, c.replicas, c.since, got.String(), c.want)
		}
	}
	for _, bad := range []string{"lots", "max(1, 2", "1 +"} {
		if _, err := compileKnob(bad); err == nil {
			t.Errorf("%q compiled", bad)
		}
	}
	if k, _ := compileKnob("600 / replicas"); k.program != nil {
		if _, err := k.value(0, 0); err == nil {
			t.Errorf("600 / 0 gave a value")
		}
	}
}
