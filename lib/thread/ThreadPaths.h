//===--- ThreadPaths.h - leak-tidy ----------------------------------------===//
//
// What the lifetime engine's edge hooks answer for a just-started thread:
//  - the branch a C spawn takes when it failed (`if (pthread_create(...) !=
//    0)`, `if (rc)`, `if (!g_thread_try_new(...))`) holds no thread: the
//    engine's failure conventions (NotHeld);
//  - a test of the spawn's result that we cannot read is Unsure on both
//    edges: we cannot tell the "no thread" side (precision first);
//  - an `if` condition that reads only locals nothing changes is stable, so
//    the engine prunes the edge contradicting the same condition taken
//    earlier on the path, or guarding the start (`if (x) start(); ...
//    if (x) join();`).
// The pruning happens during the search: a path through such an edge is
// never reported and the next feasible path is found instead.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_THREAD_THREADPATHS_H
#define LEAK_TIDY_LIB_THREAD_THREADPATHS_H

#include "lib/core/LifetimeEngine.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

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

/// The variables that hold the result of the C spawn \p Spawn or its handle
/// \p Holder: the handle, the variable the call initializes or is assigned
/// to, and every variable its declaration makes.
llvm::SmallVector<const ValueDecl *, 4>
spawnResultVars(const Stmt *Spawn, const VarDecl *Holder, ParentMap &PM);

/// The answers to the engine's edge hooks for one started thread (see
/// ThreadHandleModel, which forwards them).
class ThreadEdgeRules {
public:
  /// \p Acquire starts the thread held by \p Holder in \p F's function.
  /// \p CSpawn: a C spawn, whose result tells failure (failureConvention).
  ThreadEdgeRules(FunctionCFG &F, const Stmt *Acquire, const VarDecl *Holder,
                  bool CSpawn);
  /// How the spawn reports failure: a null handle for a spawn returning it
  /// (g_thread_try_new), a non-zero status otherwise (pthread_create,
  /// uv_thread_create); None for thread objects.
  FailureConvention failureConvention() const { return Failure; }
  /// The engine's default (NotHeld on the spawn's failure edge); for a C
  /// spawn, Unsure on both edges of a test of its result that is no failure
  /// test we can read.
  EdgeVerdict verdict(const BranchEdge &E) const;
  /// Whether \p Cond reads only locals nothing in the function changes.
  bool isStable(const Expr *Cond);

private:
  FunctionCFG &F;
  const Stmt *Acquire;
  bool CSpawn;
  FailureConvention Failure = FailureConvention::None;
  llvm::SmallVector<const ValueDecl *, 4> ResultVars;
  llvm::DenseMap<const Expr *, bool> Stable;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_THREAD_THREADPATHS_H
