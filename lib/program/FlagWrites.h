//===--- FlagWrites.h - leak-tidy -----------------------------------------===//
//
// Stop flags across translation units (project facts, kind `flag_write`): a
// worker loop `while (running_)` / `while (!stop_)` ends only when someone
// sets the flag to its stopping value, and that someone is often
// `Worker::stop()` in another file. This TU exports the values it writes to
// the flags other TUs can see (bool or std::atomic<bool> globals with
// external linkage and members of classes in project headers), and answers
// whether anyone in the project writes the stopping value.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_PROGRAM_FLAGWRITES_H
#define LEAK_TIDY_LIB_PROGRAM_FLAGWRITES_H

#include "clang/Basic/SourceLocation.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Expr;
class ValueDecl;
namespace leaklib {

/// A loop condition that is one flag: `running_`, `!stop_`,
/// `running_.load()`, `!stop_.load(order)` of a bool or std::atomic<bool>
/// field or global. The loop ends when the flag becomes \c StopValue.
struct FlagCondition {
  const ValueDecl *Flag = nullptr;
  bool StopValue = false;
};
std::optional<FlagCondition> flagCondition(const Expr *Cond);

/// A note about where the flag is written, in this or another file.
struct FlagNote {
  SourceLocation Loc; ///< invalid: another file that cannot be read
  std::string Where;  ///< then `file:line`
  bool Value = false; ///< the value written there
};

/// Whether no function of the project can set \p C's flag to its stopping
/// value: nothing in this TU writes it so (nor a value we cannot tell, nor
/// takes its address or binds it to a non-const reference), the flag is
/// visible to other TUs, and the project facts store (present: closed
/// world) has no such write of another TU either. False otherwise -- also
/// without facts, today's answer ("whoever writes the flag may stop it").
/// \p Notes: the writes of the other value, here and elsewhere (a few).
bool flagNeverStops(ASTContext &Ctx, const FlagCondition &C,
                    std::vector<FlagNote> &Notes);

/// Exports this TU's `flag_write` facts (once per TU; a no-op unless
/// exporting).
void exportFlagWrites(ASTContext &Ctx);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_PROGRAM_FLAGWRITES_H
