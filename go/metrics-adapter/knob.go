package main

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Knobs are the values Slipway sets for simulated metrics. A knob is either a quantity ("120",
// "2.5", "500m") or an arithmetic expression of two variables:
//
//	replicas  the replica count of the workload the value belongs to
//	t         seconds since the knob was set
//
// e.g. "600 / replicas" (a fixed load shared by the replicas) or "max(0, 900 - 30 * replicas * t)"
// (a queue that drains faster as replicas are added). Expressions are evaluated by expr-lang, so
// integers and decimals mix freely and min, max, abs, ceil and floor are there.

// Annotation prefixes of per-object knobs. The CLI writes the value under metricPrefix+NAME and
// the time it was set under sincePrefix+NAME.
const (
	metricPrefix = "slipway.dev/metric."
	sincePrefix  = "slipway.dev/metric-since."
)

// knobVariables is the environment every expression is compiled against.
type knobVariables struct {
	Replicas float64 `expr:"replicas"`
	T        float64 `expr:"t"`
}

// knob is a compiled knob value.
type knob struct {
	fixed   *resource.Quantity
	program *vm.Program
	source  string
}

// knobCache keeps compiled expressions, since the HPA controller asks for the same knob every
// few seconds.
type knobCache struct {
	mu    sync.Mutex
	knobs map[string]knob
}

func newKnobCache() *knobCache { return &knobCache{knobs: map[string]knob{}} }

// compile parses a knob value, from the cache when it was seen before.
func (c *knobCache) compile(source string) (knob, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.knobs[source]; ok {
		return k, nil
	}
	k, err := compileKnob(source)
	if err != nil {
		return knob{}, err
	}
	if len(c.knobs) > 4096 {
		c.knobs = map[string]knob{}
	}
	c.knobs[source] = k
	return k, nil
}

func compileKnob(source string) (knob, error) {
	text := strings.TrimSpace(source)
	if text == "" {
		return knob{}, fmt.Errorf("empty knob value")
	}
	if q, err := resource.ParseQuantity(text); err == nil {
		return knob{fixed: &q, source: text}, nil
	}
	program, err := expr.Compile(text, expr.Env(knobVariables{}), expr.AsFloat64())
	if err != nil {
		return knob{}, fmt.Errorf("knob %q is neither a number nor an expression of replicas and t: %v", text, err)
	}
	return knob{program: program, source: text}, nil
}

// value evaluates the knob for a replica count and the time since it was set.
func (k knob) value(replicas int, since time.Duration) (resource.Quantity, error) {
	if k.fixed != nil {
		return k.fixed.DeepCopy(), nil
	}
	out, err := expr.Run(k.program, knobVariables{Replicas: float64(replicas), T: math.Max(0, since.Seconds())})
	if err != nil {
		return resource.Quantity{}, fmt.Errorf("knob %q: %v", k.source, err)
	}
	v, ok := out.(float64)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return resource.Quantity{}, fmt.Errorf("knob %q gave %v, not a number", k.source, out)
	}
	return *resource.NewMilliQuantity(int64(math.Round(v*1000)), resource.DecimalSI), nil
}

// sinceClock remembers when the adapter first saw a knob that carries no set time, so t still
// grows for knobs written by hand.
type sinceClock struct {
	mu    sync.Mutex
	first map[string]time.Time
	now   func() time.Time
}

func newSinceClock(now func() time.Time) *sinceClock {
	return &sinceClock{first: map[string]time.Time{}, now: now}
}

// since is the time since `setAt` (RFC 3339), or since `key` was first seen when setAt is empty
// or unreadable.
func (c *sinceClock) since(key, setAt string) time.Duration {
	now := c.now()
	if setAt != "" {
		if t, err := time.Parse(time.RFC3339, setAt); err == nil {
			return now.Sub(t)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	first, ok := c.first[key]
	if !ok {
		if len(c.first) > 4096 {
			c.first = map[string]time.Time{}
		}
		first = now
		c.first[key] = now
	}
	return now.Sub(first)
}
