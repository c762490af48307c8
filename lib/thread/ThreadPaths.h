//===--- ThreadPaths.h - leak-tidy ----------------------------------------===//
//
// Which CFG edges a path holding a just-started thread cannot take:
//  - the branch a C spawn takes when it failed (`if (pthread_create(...) !=
//    0)`, `if (rc)`, `if (!g_thread_try_new(...))`): no thread was started;
//  - any edge of a test of the spawn's result that we cannot read: we cannot
//    tell the "no thread" side (precision first);
//  - the edge of an `if` that contradicts the same, unchanged condition
//    guarding the start (`if (x) start(); ... if (x) join();`).
// The lifetime engine asks edgeInfeasible() during its search (see
// ThreadHandleModel), so a path through such an edge is never reported and
// the next feasible path is found instead.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_THREAD_THREADPATHS_H
#define LEAK_TIDY_LIB_THREAD_THREADPATHS_H

#include "lib/core/LifetimeEngine.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <vector>

namespace clang {
class ASTContext;
class Expr;
class ParentMap;
class Stmt;
class ValueDecl;
class VarDecl;
namespace leaklib {

/// The condition of a branching terminator (if/while/for/do/switch/?:, the
/// left side of && and ||), or null.
const Stmt *branchCondition(const Stmt *T);

/// Whether \p S is \p Target, contains it, or refers to one of \p Vars.
bool mentions(const Stmt *S, const Stmt *Target,
              llvm::ArrayRef<const ValueDecl *> Vars);

/// Variables read by \p Cond that nothing in \p Body changes (every other
/// reference is a plain read); false if \p Cond calls or reads members.
bool conditionVarsUnchanged(const Expr *Cond, const Stmt *Body, ParentMap &PM);

/// The branches of `if` statements in \p Body taken when the spawn \p Spawn
/// failed, judged from a test of its result (the call itself, or \p Result,
/// the variable holding it): `if (pthread_create(...) != 0)`, `if (rc)`,
/// `if (!t)` for a returned pointer (\p PointerResult: null is failure;
/// otherwise 0 is success).
std::vector<const Stmt *> spawnFailureBranches(const Stmt *Spawn,
                                               const ValueDecl *Result,
                                               bool PointerResult,
                                               const Stmt *Body);

/// The infeasible edges for one started thread.
class ThreadEdgeFilter {
public:
  /// \p Acquire starts the thread held by \p Holder in \p F's function.
  /// \p CSpawn: a C spawn whose result tells failure (see
  /// spawnFailureBranches); otherwise only guards are read.
  ThreadEdgeFilter(FunctionCFG &F, const Stmt *Acquire, const VarDecl *Holder,
                   bool CSpawn);
  /// Whether a thread-holding path cannot take successor \p Succ of the
  /// branching terminator \p T.
  bool edgeInfeasible(const Stmt *T, unsigned Succ) const;
  /// Whether \p Path takes an infeasible edge.
  bool pathInfeasible(const LeakPath &Path) const;
  /// The failure branches of a C spawn (empty otherwise).
  const std::vector<const Stmt *> &failureBranches() const { return Failure; }

private:
  struct Guard {
    const Expr *Cond;
    bool Sense; ///< the start is on the true side
    llvm::FoldingSetNodeID Profile;
    mutable std::optional<bool> Unchanged;
  };
  bool contradictsGuard(const Stmt *T, unsigned Succ) const;
  FunctionCFG &F;
  const Stmt *Acquire;
  bool CSpawn;
  std::vector<const Stmt *> Failure;
  llvm::SmallVector<const ValueDecl *, 4> ResultVars;
  llvm::SmallVector<Guard, 2> Guards;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_THREAD_THREADPATHS_H
