//===--- HolderFacts.h - leak-tidy ----------------------------------------===//
//
// Who holds a timer just created, and what that holder does within a scope
// (one loop iteration, one helper call): releases it, stores it in a
// container, hands it off, or installs a wait handler that keeps it alive.
// Also the timer family's ResourceModel for the lifetime engine. Internal to
// lib/timer (PileUpFacts uses it).
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_TIMER_HOLDERFACTS_H
#define LEAK_TIDY_LIB_TIMER_HOLDERFACTS_H

#include "lib/core/LifetimeEngine.h"
#include "lib/timer/TimerModel.h"
#include "clang/Basic/SourceLocation.h"
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FieldDecl;
class ParentMap;
class Stmt;
class ValueDecl;
namespace leaklib {

/// What the holder of a new timer does within a scope.
struct HolderUses {
  bool Released = false;
  bool Escaped = false;
  const CallExpr *ContainerInsert = nullptr;
  const ValueDecl *Container = nullptr;
  const CallExpr *OwnHandlerWait = nullptr; ///< async_wait capturing it
  std::optional<double> Expiry;
};

/// The uses of \p Key in \p Scope (not in nested lambdas), \p Creation
/// excepted.
HolderUses scanHolder(const ValueDecl *Key, const Stmt *Scope,
                      const Expr *Creation, const TimerModel &Model,
                      ASTContext &Ctx);

/// Where a timer returned by a creation goes.
struct HolderOf {
  const ValueDecl *Holder = nullptr;  ///< the variable/member it is stored in
  bool Discarded = false;             ///< the value is dropped
  const CallExpr *PassedTo = nullptr; ///< handed to this call
};

/// The variable/member a return-value creation \p E is stored into, walking
/// up through casts, temporaries and constructions.
HolderOf holderOf(const Expr *E, ASTContext &Ctx);

/// Whether the local variable \p D is declared inside \p Scope.
bool declaredInside(const ValueDecl *D, const Stmt *Scope, ASTContext &Ctx);

/// Whether \p Key is mentioned in \p Function after \p After.
bool mentionedAfter(const ValueDecl *Key, const Stmt *Function,
                    SourceLocation After, ASTContext &Ctx);

/// A member container is cleaned up when the destructor or a
/// stop/close/clear-like method mentions it.
bool memberContainerCleaned(const FieldDecl *FD);

/// Whether destroying the local \p Owner releases the timer it was given: a
/// std::unique_ptr whose deleter releases (std::default_delete, a deleter
/// class whose operator() calls event_free/timer_delete/close/delete, a
/// deleter function such as `&event_free`), a std::shared_ptr made with such
/// a deleter, or a class whose user-written destructor (defined in this TU)
/// releases a timer.
bool releasesOnDestruction(const VarDecl *Owner, const TimerModel &Model);

/// The local object that statement \p S (a DeclStmt) hands the timer to --
/// the result of \p Creation, or the handle \p Key -- when that object's
/// destructor releases it (releasesOnDestruction); null otherwise.
const VarDecl *adoptingOwner(const Stmt *S, const ValueDecl *Key,
                             const Expr *Creation, const TimerModel &Model);

/// Whether \p S is `C.clear()` of the container \p C, preceded in the same
/// block by a statement that releases every element of C: `qDeleteAll(C)`,
/// a range-for over C that deletes/stops each element, or an index loop
/// releasing `C[i]`.
bool releasesAllOf(const Stmt *S, const ValueDecl *C, const TimerModel &Model,
                   ASTContext &Ctx);

/// The timer family's resource model: what each CFG statement does to the
/// timer held by \p Key (created by \p Creation). A local owner whose
/// destructor releases the timer adopts it (adopts, adoptingOwner); its
/// `release()` gives it back (Disowns). The branch that tests the
/// creation's own failure holds nothing: the engine's default edge verdict
/// with the query's FailureConvention (creationFailure).
class HolderModel : public ResourceModel {
public:
  HolderModel(const ValueDecl *Key, const Expr *Creation,
              const TimerModel &Model, ParentMap &PM)
      : Key(Key), Creation(Creation), Model(Model), PM(PM) {}
  Effect effectOf(const Stmt *S) override;
  bool mayThrow(const Stmt *) override { return false; }
  const VarDecl *adopts(const Stmt *S) override;

private:
  const ValueDecl *Key;
  const Expr *Creation;
  const TimerModel &Model;
  ParentMap &PM;
  const VarDecl *Owner = nullptr; ///< the last adopting owner
};

/// How \p Creation (a create call of the model) reports failure:
/// timerfd_create a negative fd, timer_create and uv_timer_init a non-zero
/// status, event_new and configured create functions returning a pointer a
/// null pointer. `new` and make_shared never return a failed timer: None.
FailureConvention creationFailure(const Expr *Creation,
                                  const TimerModel &Model);

/// Whether every path from the function's entry to \p Creation passes a
/// statement that releases every element of \p Container and clears it
/// (releasesAllOf): the function empties the container before refilling it.
bool releasedBeforeRefill(const Expr *Creation, const ValueDecl *Container,
                          FunctionCFG &CFG, const TimerModel &Model);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_TIMER_HOLDERFACTS_H
