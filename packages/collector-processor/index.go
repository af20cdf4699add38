package llmcostprocessor // import "github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor"

import (
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otel-llm-cost/otel-llm-cost/packages/collector-processor/internal/modelcalls"
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

func slotsOf(keys []string) []uint8 {
	out := make([]uint8, len(keys))
	for i, k := range keys {
		out[i] = slotOf(k)
	}
	return out
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
	vercelProviderSlots = []uint8{slotOf(vercelProviderAttr)}
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
	pricedBySlot          = slotOf(attrPricedBy)
	semconvCostAmountSlot = slotOf(semconvCostAmountAttr)
	semconvCostCurrSlot   = slotOf(semconvCostCurrencyAttr)
	semconvCostSourceSlot = slotOf(semconvCostSourceAttr)
	openInferenceCostSlot = slotOf(openInferenceCostAttr)
	openAIServiceTierSlot = slotOf(attrOpenaiResponseServiceTier)
	anthropicServTierSlot = slotOf(attrAnthropicResponseServiceTier)
)

// maxSlots bounds the slots (the names read here and the model-call rules' attributes).
const maxSlots = 96

// keyIndex maps the attribute names a processor reads to their slots: the names read here and those
// the model-call rules read (ruleKey, -1 for none).
type keyIndex struct {
	slots map[string]keySlot
}

type keySlot struct {
	attr    int16 // slot of indexedAttrs, -1 for none
	ruleKey int16 // index into the table's Keys, -1 for none
}

func newKeyIndex(t *modelcalls.Table) *keyIndex {
	if len(indexedAttrs) > maxSlots {
		panic("llmcost: more indexed attributes than maxSlots")
	}
	ix := &keyIndex{slots: make(map[string]keySlot, len(indexedAttrs)+len(t.Keys()))}
	for i, k := range indexedAttrs {
		ix.slots[k] = keySlot{attr: int16(i), ruleKey: -1}
	}
	for i, k := range t.Keys() {
		s, ok := ix.slots[k]
		if !ok {
			s = keySlot{attr: -1}
		}
		s.ruleKey = int16(i)
		ix.slots[k] = s
	}
	return ix
}

// attrIndex is one span's values of the indexed names: what pcommon.Map.Get gives for each (the
// first attribute of the name). Valid until the span's attributes change.
type attrIndex struct {
	found   [maxSlots]bool
	values  [maxSlots]pcommon.Value
	rules   modelcalls.Values
	context bool // an attribute llmcost.price.context.<key> is present
}

// fill indexes attrs (replacing what the index held).
func (ix *attrIndex) fill(k *keyIndex, attrs pcommon.Map) {
	ix.found = [maxSlots]bool{}
	ix.rules.Found = [len(ix.rules.Found)]bool{}
	ix.context = false
	for key, v := range attrs.All() {
		s, ok := k.slots[key]
		if !ok {
			if strings.HasPrefix(key, attrPriceContextPrefix) {
				ix.context = true
			}
			continue
		}
		if s.attr >= 0 && !ix.found[s.attr] {
			ix.found[s.attr] = true
			ix.values[s.attr] = v
		}
		if s.ruleKey >= 0 && !ix.rules.Found[s.ruleKey] {
			ix.rules.Found[s.ruleKey] = true
			ix.rules.Values[s.ruleKey] = v
		}
	}
}

func (ix *attrIndex) get(slot uint8) (pcommon.Value, bool) {
	if !ix.found[slot] {
		return pcommon.Value{}, false
	}
	return ix.values[slot], true
}

// priceContext is priceContext(attrs) for the indexed attrs, without reading them again when none of
// the attributes it reads is present (it is nil then).
func (ix *attrIndex) priceContext(attrs pcommon.Map) map[string]string {
	if !ix.context && !ix.found[openAIServiceTierSlot] && !ix.found[anthropicServTierSlot] {
		return nil
	}
	return priceContext(attrs)
}
