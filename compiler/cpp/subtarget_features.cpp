// Expands an LLVM CPU name and feature string into the complete list of
// subtarget features LLVM enables for them (kilnc's `cpu_features`).
//
// The LLVM C API has no way to ask a subtarget which features it has, so
// this one function reaches MCSubtargetInfo through the C++ API. It is
// compiled by build.rs against the headers of the LLVM that llvm-sys links.

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

using namespace llvm;

namespace {

// `bits` plus every feature they imply, transitively.
FeatureBitset implied_closure(ArrayRef<SubtargetFeatureKV> all,
                              FeatureBitset bits) {
  for (bool changed = true; changed;) {
    changed = false;
    for (const SubtargetFeatureKV &f : all) {
      if (!bits.test(f.Value))
        continue;
      FeatureBitset next = bits | f.Implies.getAsBitset();
      if (next != bits) {
        bits = next;
        changed = true;
      }
    }
  }
  return bits;
}

} // namespace

// Returns the comma-separated names (without `+`) of the features that
// `triple`/`cpu`/`features` enable, in LLVM's table order, as a malloc'd
// string the caller frees; or null when LLVM does not know the target or
// cannot create the subtarget. Features reached only through the CPU's
// tuning list (scheduling hints such as `slow-3ops-lea`) are left out: they
// change how code is scheduled, not which instructions it may contain.
// The target must have been initialised (its MC layer registered).
extern "C" char *kiln_llvm_subtarget_features(const char *triple,
                                              const char *cpu,
                                              const char *features) {
  std::string error;
  const Target *target = TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::unique_ptr<MCSubtargetInfo> sti(
      target->createMCSubtargetInfo(triple, cpu, features));
  if (!sti)
    return nullptr;
  ArrayRef<SubtargetFeatureKV> all = sti->getAllProcessorFeatures();
  FeatureBitset bits = sti->getFeatureBits();
  for (const SubtargetSubTypeKV &p : sti->getAllProcessorDescriptions()) {
    if (StringRef(p.Key) != sti->getCPU())
      continue;
    FeatureBitset isa = implied_closure(all, p.Implies.getAsBitset());
    FeatureBitset tuning = implied_closure(all, p.TuneImplies.getAsBitset());
    bits &= ~(tuning & ~isa);
  }
  std::string out;
  for (const SubtargetFeatureKV &f : all) {
    if (!bits.test(f.Value))
      continue;
    if (!out.empty())
      out += ',';
    out += f.Key;
  }
  return strdup(out.c_str());
}
