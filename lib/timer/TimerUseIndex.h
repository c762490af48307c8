//===--- TimerUseIndex.h - leak-tidy --------------------------------------===//
//
// Translation-unit-wide facts about timer handles (is this variable or member
// ever stopped, deleted, handed off; what created it), so that a timer
// started in one function and stopped in another is seen; and the two
// whole-function facts the ticker rules need (runs an event loop, class
// fully visible).
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_TIMER_TIMERUSEINDEX_H
#define LEAK_TIDY_LIB_TIMER_TIMERUSEINDEX_H

#include "lib/timer/TimerModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CXXRecordDecl;
class Expr;
class Stmt;
class ValueDecl;
namespace leaklib {

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
  /// A uv_close() of a handle other than \p Key (a sibling of the loop), or
  /// null.
  const CallExpr *uvCloseOfOther(const ValueDecl *Key) const {
    for (const auto &[K, Call] : UvCloses)
      if (K != Key)
        return Call;
    return nullptr;
  }
  bool usesPthreadCancel() const { return PthreadCancel; }
  bool usesGSourceRemoveBy() const { return GSourceRemoveBy; }

  // Filled by the collector.
  llvm::DenseSet<const ValueDecl *> Released, Escaped, SingleShot;
  llvm::DenseMap<const ValueDecl *, const Expr *> Creation;
  bool UvWalk = false, PthreadCancel = false, GSourceRemoveBy = false;
  std::vector<std::pair<const ValueDecl *, const CallExpr *>> UvCloses;
};

/// Functions that run an event loop until the program ends (uv_run,
/// g_main_loop_run, event_base_dispatch, QCoreApplication::exec,
/// io_context::run). A timer started in a function that calls one of them
/// (or in main) lives as long as that loop by design. \p CountGLib false:
/// g_main_loop_run does not count (ProgramFacts::neverReturns knows whether
/// anything quits it).
bool runsEventLoop(const Stmt *Body, bool CountGLib = true);

/// Whether all code that could stop a member of \p RD is visible: a
/// user-declared destructor is defined in this translation unit, and so is
/// every method whose name is one of \p StopMethods.
bool classFullyVisible(const CXXRecordDecl *RD,
                       const std::vector<std::string> &StopMethods);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_TIMER_TIMERUSEINDEX_H
