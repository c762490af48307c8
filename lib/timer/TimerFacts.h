//===--- TimerFacts.h - leak-tidy ----------------------------------------===//
//
// Analyses over the timer model (lib/TimerModel.h) that the timer checks
// share:
//  * TimerUseIndex: translation-unit-wide facts about timer handles (is this
//    variable or member ever stopped, deleted, handed off; what created it),
//    so that a timer started in one function and stopped in another is seen.
//  * findPileUp: does a timer created in a scope (one loop iteration, one
//    call of a helper) outlive that scope?
//  * findTickerLoop: an endless loop that sleeps or waits on every turn and
//    has no way out.
//  * findUnstoppableRearm: an Asio handler that re-arms its timer whatever
//    the error code says.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_TIMER_TIMERFACTS_H
#define LEAK_TIDY_LIB_TIMER_TIMERFACTS_H

#include "lib/timer/TimerModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <functional>
#include <memory>
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class CXXMethodDecl;
class CXXRecordDecl;
class Decl;
class Expr;
class FunctionDecl;
class Stmt;
class ValueDecl;
namespace leaklib {

class FunctionCFG;

/// Facts about every timer handle of one translation unit, collected in one
/// pass over the code outside system headers.
class TimerUseIndex {
public:
  TimerUseIndex(ASTContext &Ctx, const TimerModel &Model);
  /// Stopped, deleted, closed or removed somewhere (any function, lambda).
  bool released(const ValueDecl *Key) const { return Released.count(Key); }
  /// Handed to code we do not model (stored elsewhere, returned, passed to
  /// an unknown function, re-parented): someone else may stop it.
  bool escaped(const ValueDecl *Key) const { return Escaped.count(Key); }
  /// QTimer::setSingleShot(...) was called on it (unless with false).
  bool singleShot(const ValueDecl *Key) const { return SingleShot.count(Key); }
  /// The expression that created the timer held by \p Key: a `new QTimer`,
  /// an event_new/event_assign, a g_timeout_add, timer_create,
  /// uv_timer_init. Null when not seen.
  const Expr *creationOf(const ValueDecl *Key) const {
    auto It = Creation.find(Key);
    return It == Creation.end() ? nullptr : It->second;
  }
  bool usesUvWalk() const { return UvWalk; }
  bool usesPthreadCancel() const { return PthreadCancel; }
  bool usesGSourceRemoveBy() const { return GSourceRemoveBy; }

  // Filled by the collector.
  llvm::DenseSet<const ValueDecl *> Released, Escaped, SingleShot;
  llvm::DenseMap<const ValueDecl *, const Expr *> Creation;
  bool UvWalk = false, PthreadCancel = false, GSourceRemoveBy = false;
};

/// Functions that run an event loop until the program ends (uv_run,
/// g_main_loop_run, event_base_dispatch, QCoreApplication::exec,
/// io_context::run). A timer started in a function that calls one of them
/// (or in main) lives as long as that loop by design.
bool runsEventLoop(const Stmt *Body);

/// Whether all code that could stop a member of \p RD is visible: a
/// user-declared destructor is defined in this translation unit, and so is
/// every method whose name is one of \p StopMethods.
bool classFullyVisible(const CXXRecordDecl *RD,
                       const std::vector<std::string> &StopMethods);

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

/// Whether \p E creates a timer (see timerCreations). Sets \p Framework.
bool isTimerCreation(const Expr *E, const TimerModel &Model,
                     TimerFramework *Framework = nullptr);

/// An endless loop (while(true), for(;;)) that waits on every turn and
/// cannot be left: no break, return, throw, goto, or noreturn call, no
/// boost::this_thread interruption point. Returns the first wait call, or
/// null when \p Loop is not such a loop.
const CallExpr *findTickerLoopWait(const Stmt *Loop, const NameMatcher &Waits,
                                   ASTContext &Ctx);

/// An Asio async_wait whose handler (a lambda) ignores its error code and
/// re-arms the same timer (or calls the function that armed it) on every
/// run, with no early return: cancel() cannot stop it. Returns the re-arm
/// call inside the handler, or null. \p Enclosing is the function that
/// contains \p AsyncWait.
const CallExpr *findUnstoppableRearm(const CallExpr *AsyncWait,
                                     const FunctionDecl *Enclosing,
                                     const TimerModel &Model);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_TIMER_TIMERFACTS_H
