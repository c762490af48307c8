//===--- PileUpFacts.h - leak-tidy ----------------------------------------===//
//
// leak-timer-in-loop's analysis: does a timer created in a scope (one loop
// iteration, one call of a helper) outlive that scope, so that one timer
// piles up per iteration? findLoopPileUps answers it for a whole function
// (its loops, its lambdas' loops, helpers called from a loop); findPileUp
// for one creation. Each answer is a PileUp: what leaks, where it was made,
// why it outlives the scope (the evidence), and how long each timer lives.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_TIMER_PILEUPFACTS_H
#define LEAK_TIDY_LIB_TIMER_PILEUPFACTS_H

#include "lib/timer/TimerModel.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FunctionDecl;
class Stmt;
class ValueDecl;
namespace leaklib {

class FunctionCFG;

/// Why a timer created in a scope outlives it.
struct PileUp {
  enum Reason {
    CapturedByHandler, ///< a heap timer kept alive by its own wait handler
    StoredInContainer, ///< pushed into a container not cleaned up later
    ParentOwned,       ///< new QTimer(parent): lives until the parent dies
    NeverReleased,     ///< a C handle never deleted/closed/freed/removed
    PendingUntilFired, ///< a one-shot that lives until it fires
    NeverRemoved,      ///< a GLib source whose callback never removes it
  };
  Reason Why = NeverReleased;
  TimerFramework Framework = TimerFramework::User;
  /// The creation (new-expression, make_shared call, C create call).
  const Expr *Creation = nullptr;
  /// When Creation calls a helper that returns a fresh timer
  /// (freshTimerOf): the helper's own creation.
  const Expr *MadeInHelper = nullptr;
  /// Where the reason shows: the async_wait, the push_back, the creation.
  const Stmt *Evidence = nullptr;
  /// The variable holding the timer, if any.
  const ValueDecl *Holder = nullptr;
  /// The container, for StoredInContainer.
  const ValueDecl *Container = nullptr;
  /// How long each timer lives, when a constant.
  std::optional<double> Duration;
};

struct PileUpOptions {
  /// One-shot timers with a constant delay shorter than this (seconds) do
  /// not pile up in a meaningful way.
  double MinDelaySeconds = 1.0;
  /// Loops with at most this many iterations (a constant) are not reported.
  unsigned MaxConstantTripCount = 16;
  /// From the family's options (MinDelayMs, MaxConstantTripCount).
  static PileUpOptions from(const TimerOptions &O);
};

/// Whether the timer created by \p Creation (a CXXNewExpr, a make_shared /
/// make_unique call, or a create call of the model) outlives \p Scope: the
/// body of the loop \p Loop (Loop non-null), or a whole function body
/// (Loop null, a helper called from a loop). \p CFG is the CFG of the
/// function containing \p Creation, used to ask whether a local holder
/// reaches the end of its scope without being released (may be null: then
/// only syntactic facts are used). \p Function is the body that encloses
/// everything (to look after the loop).
std::optional<PileUp> findPileUp(const Expr *Creation, const Stmt *Scope,
                                 const Stmt *Loop, const Stmt *Function,
                                 FunctionCFG *CFG, const TimerModel &Model,
                                 ASTContext &Ctx, const PileUpOptions &Opts);

/// The expressions of \p Scope (not inside nested lambdas) that create a
/// timer: new/make_shared/make_unique of a timer class, or a create call.
std::vector<const Expr *> timerCreations(const Stmt *Scope,
                                         const TimerModel &Model);

/// The creation inside a helper of this TU that \p Call calls and that
/// returns a fresh timer (FunctionSummaries::returnsFresh): a heap Asio or
/// configured timer, a libevent timer event, a timerfd. Null otherwise.
const Expr *freshTimerOf(const CallExpr *Call, const TimerModel &Model,
                         TimerFramework *Framework = nullptr);

/// The same for the function \p FD itself (its creation, if it returns a
/// fresh timer).
const Expr *freshTimerIn(const FunctionDecl *FD, const TimerModel &Model,
                         TimerFramework *Framework = nullptr);

/// Project facts (TimerFunctionFacts.cpp): \p FD, defined in the main file
/// and visible to other TUs, returns a fresh timer: exports the `function`
/// fact {"family":"timer","returns_fresh":"timer","framework":...}.
void exportTimerSummary(const FunctionDecl *FD, const TimerModel &Model);
/// \p CE calls a project function defined in another TU that returns a
/// fresh timer according to that TU's facts; sets \p Framework.
bool freshTimerElsewhere(const CallExpr *CE, const TimerModel &Model,
                         TimerFramework *Framework = nullptr);

/// Whether \p E creates a timer (see timerCreations), also by calling a
/// helper that returns a fresh one (freshTimerOf). Sets \p Framework.
bool isTimerCreation(const Expr *E, const TimerModel &Model,
                     TimerFramework *Framework = nullptr);

/// One finding of findLoopPileUps: a timer made on every iteration of
/// \p Loop, directly or by a call of \p Helper at \p HelperCall.
struct LoopPileUp {
  PileUp P;
  const Stmt *Loop = nullptr;
  const CallExpr *HelperCall = nullptr; ///< null: created in the loop itself
  const FunctionDecl *Helper = nullptr;
};

/// The pile-ups of one translation unit: per function, and the answers for
/// helpers (a function defined here whose body creates a timer that
/// outlives the call), computed once.
class PileUpFacts {
public:
  PileUpFacts(const TimerModel &Model, const PileUpOptions &Opts)
      : Model(Model), Opts(Opts) {}
  /// Every pile-up in \p FD's loops (and its lambdas' loops): creations in
  /// a loop whose innermost enclosing loop without a small constant trip
  /// count re-runs them, and calls of helpers that pile up. A one-shot per
  /// element of a range-for is left out (oncePerElement).
  std::vector<LoopPileUp> inFunction(const FunctionDecl *FD, ASTContext &Ctx);

private:
  const std::optional<PileUp> &helperPileUp(const FunctionDecl *FD,
                                            ASTContext &Ctx);
  const TimerModel &Model;
  PileUpOptions Opts;
  llvm::DenseMap<const FunctionDecl *, std::optional<PileUp>> Helpers;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_TIMER_PILEUPFACTS_H
