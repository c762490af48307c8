//===--- ThreadFacts.h - leak-tidy ---------------------------------------===//
//
// The per-site analyses behind leak-unjoined-thread, kept out of the check so
// that they are unit-testable: how a thread construction is used, whether a
// local thread is detached or only ever joined, whether std::jthread would be
// an equivalent-or-safer replacement, which leaking paths are infeasible (the
// failure branch of a spawn, a branch contradicting the `if` that guards the
// start), the lifetime model of a container of threads, and what the methods
// of a class do with a thread member.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_THREAD_THREADFACTS_H
#define LEAK_TIDY_LIB_THREAD_THREADFACTS_H

#include "lib/core/LifetimeEngine.h"
#include "lib/thread/ThreadModel.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTContext;
class CXXConstructExpr;
class CXXMemberCallExpr;
class CXXOperatorCallExpr;
class CXXRecordDecl;
class FieldDecl;
class FunctionDecl;
namespace leaklib {

/// The condition of a branching terminator (if/while/for/do/switch/?:, the
/// left side of && and ||), or null.
const Stmt *branchCondition(const Stmt *T);

/// Whether \p S is \p Target, contains it, or refers to one of \p Vars.
bool mentions(const Stmt *S, const Stmt *Target,
              llvm::ArrayRef<const ValueDecl *> Vars);

/// The construction of a running thread (a thread type, a callable, not a
/// copy or move) that \p E is, through temporaries and elided moves.
const CXXConstructExpr *threadStart(const Expr *E, const ThreadApi &Api);

/// A non-static local that is not a parameter or a reference.
bool isPlainLocal(const VarDecl *V);

/// How a thread construction is used: the local it initializes, the
/// temporary `.detach()`ed, or the local it is assigned to.
struct StartContext {
  const VarDecl *Var = nullptr;
  const CXXMemberCallExpr *Detach = nullptr;
  const CXXOperatorCallExpr *Assign = nullptr;
};
StartContext startContext(const CXXConstructExpr *Ctor, ASTContext &Ctx,
                          const ThreadApi &Api);

/// The first use of \p V in \p Body that detaches it, or null.
const Stmt *findDetach(const VarDecl *V, const Stmt *Body, ParentMap &PM,
                       const ThreadApi &Api);

/// Whether every use of \p V in \p Body only joins it or reads it: never
/// detached, moved, stored or handed off (for the std::jthread fix-it).
bool onlyJoined(const VarDecl *V, const Stmt *Body, ParentMap &PM,
                const ThreadApi &Api);

/// Whether std::jthread would call the callable of \p Ctor exactly as
/// std::thread does: a non-generic lambda or a plain function taking exactly
/// the arguments given (so a std::stop_token cannot be passed in first).
bool callableIgnoresStopToken(const CXXConstructExpr *Ctor);

/// Whether the thread's body is visible and surely finishes on its own: no
/// loop without a bound and no call that waits for someone else. Only then
/// does joining at scope end (std::jthread) trade a crash for a short wait
/// rather than for a hang.
bool bodyFinishesOnItsOwn(const CXXConstructExpr *Ctor, ASTContext &Ctx);

/// Variables read by \p Cond that nothing in \p Body changes (every other
/// reference is a plain read); false if \p Cond calls or reads members.
bool conditionVarsUnchanged(const Expr *Cond, const Stmt *Body, ParentMap &PM);

/// Whether \p Path takes a branch that contradicts an `if` around the
/// acquisition with the same, unchanged condition (`if (x) start(); ...
/// if (x) join();` -- the path through the second `if`'s false edge cannot
/// happen).
bool pathContradictsGuard(const LeakPath &Path, const Stmt *Acquire,
                          const Stmt *Body, ParentMap &PM, ASTContext &Ctx);

/// The lifetime model of a local container of threads: adding threads keeps
/// them held; any other use may join them (precision first).
class ThreadContainerModel : public ResourceModel {
public:
  ThreadContainerModel(const VarDecl *V, ParentMap &PM) : V(V), PM(PM) {}
  Effect effectOf(const Stmt *S) override {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      if (DRE->getDecl() != V)
        return NoEffect;
      // Any use but adding or removing may drive a join loop (size(),
      // begin(), operator[]): count it as handled.
      ThreadContainerUse U = classifyContainerRef(DRE, PM);
      return U == ThreadContainerUse::Adds || U == ThreadContainerUse::Destroys
                 ? NoEffect
                 : Releases;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(S))
      if (capturesVar(L, V))
        return Escapes;
    return NoEffect;
  }

private:
  const VarDecl *V;
  ParentMap &PM;
};

/// What the methods of a class do with one thread member.
struct MemberFacts {
  const FieldDecl *Field = nullptr;
  bool IsContainer = false;
  bool Escapes = false;
  bool StartedInCtor = false;
  SourceLocation FirstStart;
  const FunctionDecl *FirstStartIn = nullptr;
  /// Starts by move-assignment outside constructors.
  llvm::SmallVector<std::pair<const Stmt *, const FunctionDecl *>, 2> Reassigns;
  /// clear / erase / pop_back of a container member.
  llvm::SmallVector<std::pair<const Stmt *, const FunctionDecl *>, 2> Destroys;
  /// Joins (single thread: join/detach/joinable on it; container: an
  /// element join in a method that uses the member), with their location.
  llvm::SmallVector<std::pair<SourceLocation, const FunctionDecl *>, 4> Joins;
};

/// Scans one method definition of the class for what it does with the
/// member \p M.Field (starts, joins, destroys, hands off).
void scanMethod(const FunctionDecl *Def, MemberFacts &M, const ThreadApi &Api);

/// Whether \p Def (or a method of the class it calls on `this`, a few calls
/// deep) joins the member: a recorded join in it, or a call we cannot see
/// into (defined elsewhere, or virtual and not final).
bool reachesJoin(const FunctionDecl *Def, const MemberFacts &M,
                 const CXXRecordDecl *RD, unsigned Depth,
                 llvm::DenseSet<const FunctionDecl *> &Seen);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_THREAD_THREADFACTS_H
