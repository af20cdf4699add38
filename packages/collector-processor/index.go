package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/modelcalls"
	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/pricing"
)

// The attributes a priced span is read from are looked up in one pass over its attributes (attrIndex)
// instead of one scan of them per name: each name read gets a slot.
var (
	indexedAttrs []string       // slot -> attribute name
	attrSlots    map[string]int // attribute name -> slot
)

func slotOf(k string) uint8 {
	if s, ok := attrSlots[k]; ok {
		return uint8(s)
	}
	if attrSlots == nil {
		attrSlots = map[string]int{}
	}
	attrSlots[k] = len(indexedAttrs)
	indexedAttrs = append(indexedAttrs, k)
	return uint8(len(indexedAttrs) - 1)
}

// slotList is the slots of a list of names, in the list's order, and the set of them (to tell at once
// that a span has none of the names).
type slotList struct {
	slots []uint8
	set   slotSet
}

func slotsOf(keys []string) slotList {
	l := slotList{slots: make([]uint8, len(keys))}
	for i, k := range keys {
		l.slots[i] = slotOf(k)
		l.set.add(l.slots[i])
	}
	return l
}

// slotSet is a set of slots, a bit each.
type slotSet [(maxSlots + 63) / 64]uint64

func (s *slotSet) add(slot uint8)      { s[slot/64] |= 1 << (slot % 64) }
func (s *slotSet) has(slot uint8) bool { return s[slot/64]&(1<<(slot%64)) != 0 }

// meets: the sets have a slot in common.
func (s *slotSet) meets(o *slotSet) bool {
	for i := range s {
		if s[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

type totalSlots struct {
	source        string
	input, output uint8
}

var (
	totalSlotList = func() []totalSlots {
		out := make([]totalSlots, len(totalAttrs))
		for i, t := range totalAttrs {
			out[i] = totalSlots{t.source, slotOf(t.input), slotOf(t.output)}
		}
		return out
	}()
	providerSlots       = slotsOf(providerAttrs)
	vercelProviderSlots = slotsOf([]string{vercelProviderAttr})
	responseModelSlots  = slotsOf(responseModelAttrs)
	requestModelSlots   = slotsOf(requestModelAttrs)
	cacheReadSlots      = slotsOf(cacheReadAttrs)
	cacheWriteSlots     = slotsOf(cacheWriteAttrs)
	cacheWrite1hSlots   = slotsOf(cacheWrite1hAttrs)
	cacheWrite5mSlot    = slotOf(cacheWrite5mAttr)
	inputAudioSlots     = slotsOf(inputAudioAttrs)
	outputAudioSlots    = slotsOf(outputAudioAttrs)
	inputImageSlots     = slotsOf(inputImageAttrs)
	inputVideoSlots     = slotsOf(inputVideoAttrs)
	cacheAudioSlots     = slotsOf(cacheAudioAttrs)
	outputImageSlots    = slotsOf(outputImageAttrs)
	reasoningSlots      = slotsOf(reasoningAttrs)

	costSlot              = slotOf(attrCost)
	costSlots             = slotsOf(costAttrs)
	pricedBySlot          = slotOf(attrPricedBy)
	semconvCostAmountSlot = slotOf(semconvCostAmountAttr)
	semconvCostCurrSlot   = slotOf(semconvCostCurrencyAttr)
	semconvCostSourceSlot = slotOf(semconvCostSourceAttr)
	openInferenceCostSlot = slotOf(openInferenceCostAttr)
	openAIServiceTierSlot = slotOf(attrOpenaiResponseServiceTier)
	anthropicServTierSlot = slotOf(attrAnthropicResponseServiceTier)
	modelCallSlot         = slotOf(attrModelCall)
	providerNameSlot      = slotOf(attrProvider)     // what writes fills in
	requestModelSlot      = slotOf(attrRequestModel) // what writes fills in

	// The attributes written or removed on a priced or unpriced span (outputBit), so that which of them
	// a span has is known from its index, without another pass over its attributes.
	outputSlots = [...]struct {
		bit  outputBit
		slot uint8
	}{
		{outCost, costSlot}, {outCostInput, slotOf(attrCostInput)}, {outCostOutput, slotOf(attrCostOutput)},
		{outCacheSavings, slotOf(attrCostCacheSavings)}, {outCostSource, slotOf(attrCostSource)},
		{outPriceVersion, slotOf(attrPriceDataVersion)}, {outPricingProv, slotOf(attrPricingProvider)},
		{outPricingModel, slotOf(attrPricingModel)}, {outPricedBy, pricedBySlot},
		{outPriceVariant, slotOf(attrPriceVariant)}, {outCostReplaced, slotOf(attrCostReplaced)},
		{outUnpriced, slotOf(attrUnpriced)}, {outUnpricedReason, slotOf(attrUnpricedReason)},
	}
)

// Every slot the parts of the totals are read from (readParts), and every slot of outputSlots: a span
// with none of them (the usual one) is told apart in one test instead of a test per name.
var (
	partSlotSet = unionOf(cacheReadSlots, cacheWriteSlots, cacheWrite1hSlots, slotList{slots: []uint8{cacheWrite5mSlot}},
		reasoningSlots, inputAudioSlots, outputAudioSlots, inputImageSlots, inputVideoSlots, cacheAudioSlots, outputImageSlots)
	outputSlotSet = func() slotSet {
		var s slotSet
		for _, o := range outputSlots {
			s.add(o.slot)
		}
		return s
	}()
)

func unionOf(lists ...slotList) slotSet {
	var s slotSet
	for _, l := range lists {
		for _, slot := range l.slots {
			s.add(slot)
		}
	}
	return s
}

// maxSlots bounds the slots (the names read here and the model-call rules' attributes).
const maxSlots = 96

// keyIndex maps the attribute names a processor reads to their slots: the names read here and those
// the model-call rules read (ruleKey, -1 for none). It is a small open-addressing hash table rather than
// a Go map: every attribute of every span is looked up in it, and most are not in it, so the lookup is a
// cheap hash of the name's length and three of its bytes and, for a hit, one string comparison.
type keyIndex struct {
	keys  []string // len(keys) is a power of two; "" is a free entry
	slots []keySlot
	mask  uint32
}

type keySlot struct {
	attr    int16 // slot of indexedAttrs, -1 for none
	ruleKey int16 // index into the table's Keys, -1 for none
}

func newKeyIndex(t *modelcalls.Table) *keyIndex {
	if len(indexedAttrs) > maxSlots {
		panic("llmcost: more indexed attributes than maxSlots")
	}
	slots := make(map[string]keySlot, len(indexedAttrs)+len(t.Keys()))
	for i, k := range indexedAttrs {
		slots[k] = keySlot{attr: int16(i), ruleKey: -1}
	}
	for i, k := range t.Keys() {
		s, ok := slots[k]
		if !ok {
			s = keySlot{attr: -1}
		}
		s.ruleKey = int16(i)
		slots[k] = s
	}
	size := 16
	for size < 4*len(slots) { // at most a quarter full: probes stay short, also for absent names
		size *= 2
	}
	ix := &keyIndex{keys: make([]string, size), slots: make([]keySlot, size), mask: uint32(size - 1)}
	for k, s := range slots {
		if k == "" {
			continue // no attribute name read here is empty; "" marks a free entry
		}
		i := hashKey(k) & ix.mask
		for ix.keys[i] != "" {
			i = (i + 1) & ix.mask
		}
		ix.keys[i], ix.slots[i] = k, s
	}
	return ix
}

// hashKey hashes an attribute name by its length and three of its bytes (names that share a prefix
// such as "gen_ai.usage." differ in them).
func hashKey(k string) uint32 {
	n := len(k)
	if n == 0 {
		return 0
	}
	return uint32(n)*0x9e3779b1 ^ uint32(k[n-1])*0x85ebca77 ^ uint32(k[n/2])*0xc2b2ae3d ^ uint32(k[n*3/4])*0x27d4eb2f
}

// lookup is the slot of attribute name k.
func (ix *keyIndex) lookup(k string) (keySlot, bool) {
	i := hashKey(k) & ix.mask
	for {
		switch ix.keys[i] {
		case "":
			return keySlot{}, false
		case k:
			return ix.slots[i], true
		}
		i = (i + 1) & ix.mask
	}
}

// attrIndex is one span's values of the indexed names: what pcommon.Map.Get gives for each (the
// first attribute of the name). Valid until the span's attributes change.
type attrIndex struct {
	found   slotSet
	values  [maxSlots]pcommon.Value
	rules   modelcalls.Values
	context bool // an attribute llmcost.price.context.<key> is present
	// Kept from span to span of a batch (fill does not reset them).
	providers providerMemo
	prices    pricing.Memo
}

// fill indexes attrs (replacing what the index held).
func (ix *attrIndex) fill(k *keyIndex, attrs pcommon.Map) {
	ix.found = slotSet{}
	ix.rules.Found = [len(ix.rules.Found)]bool{}
	ix.context = false
	for key, v := range attrs.All() {
		s, ok := k.lookup(key)
		if !ok {
			if strings.HasPrefix(key, attrPriceContextPrefix) {
				ix.context = true
			}
			continue
		}
		if s.attr >= 0 && !ix.found.has(uint8(s.attr)) {
			ix.found.add(uint8(s.attr))
			ix.values[s.attr] = v
		}
		if s.ruleKey >= 0 && !ix.rules.Found[s.ruleKey] {
			ix.rules.Found[s.ruleKey] = true
			ix.rules.Values[s.ruleKey] = v
		}
	}
}

// presentOutputs is the set of the attributes written or removed on a priced or unpriced span that
// the span has. None of them is added or removed except by those writes (usage and names are other
// attributes), so the set stays right while they run.
func (ix *attrIndex) presentOutputs() outputBit {
	var present outputBit
	if !ix.found.meets(&outputSlotSet) {
		return present
	}
	for _, o := range outputSlots {
		if ix.found.has(o.slot) {
			present |= o.bit
		}
	}
	return present
}

// hasUsageOrCost: the span carries a token count or a cost under any of the names read here.
func (ix *attrIndex) hasUsageOrCost() bool {
	for _, t := range totalSlotList {
		if ix.found.has(t.input) || ix.found.has(t.output) {
			return true
		}
	}
	return ix.found.meets(&costSlots.set)
}

func (ix *attrIndex) get(slot uint8) (pcommon.Value, bool) {
	if !ix.found.has(slot) {
		return pcommon.Value{}, false
	}
	return ix.values[slot], true
}

// priceContext is priceContext(attrs) for the indexed attrs, without reading them again when none of
// the attributes it reads is present (it is nil then).
func (ix *attrIndex) priceContext(attrs pcommon.Map) map[string]string {
	if !ix.context && !ix.found.has(openAIServiceTierSlot) && !ix.found.has(anthropicServTierSlot) {
		return nil
	}
	return priceContext(attrs)
}
