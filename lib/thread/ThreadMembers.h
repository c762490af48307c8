//===--- ThreadMembers.h - leak-tidy --------------------------------------===//
//
// Form 4 of leak-unjoined-thread: the thread members of a class (a
// std::thread, or a container of them). What the class's methods do with
// each member (start, join, destroy, hand off), whether the destructor
// reaches a join, and the findings that follow.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_THREAD_THREADMEMBERS_H
#define LEAK_TIDY_LIB_THREAD_THREADMEMBERS_H

#include "lib/thread/ThreadFacts.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class CXXMethodDecl;
class CXXRecordDecl;
class FieldDecl;
class FunctionDecl;
namespace leaklib {

/// How a member holds its thread: the thread itself, or a heap thread
/// behind a `std::thread *` or a `std::unique_ptr<std::thread>`.
enum class MemberHolder { Object, RawPointer, UniquePtr };

/// What the methods of a class do with one thread member.
struct MemberFacts {
  const FieldDecl *Field = nullptr;
  bool IsContainer = false;
  MemberHolder Holder = MemberHolder::Object;
  bool Escapes = false;
  bool StartedInCtor = false;
  SourceLocation FirstStart;
  const FunctionDecl *FirstStartIn = nullptr;
  /// What starts a single thread member (a constructor's initializer, the
  /// right side of `m = std::thread(...)`).
  llvm::SmallVector<const Expr *, 2> StartExprs;
  /// Starts by move-assignment outside constructors.
  llvm::SmallVector<std::pair<const Stmt *, const FunctionDecl *>, 2> Reassigns;
  /// clear / erase / pop_back of a container member; `delete m_`,
  /// `m_.reset(...)`, `m_ = ...` of a heap thread member.
  llvm::SmallVector<std::pair<const Stmt *, const FunctionDecl *>, 2> Destroys;
  /// Joins (single thread: join/detach/joinable on it; container: an
  /// element join in a method that uses the member), with their location.
  llvm::SmallVector<std::pair<SourceLocation, const FunctionDecl *>, 4> Joins;
};

/// Scans one method definition of the class for what it does with the
/// member \p M.Field (starts, joins, destroys, hands off).
void scanMethod(const FunctionDecl *Def, MemberFacts &M, const ThreadApi &Api);

/// Whether a call of \p Callee on `this` may join the member: its body (a
/// few calls deep) reachesJoin, or we cannot see it (defined elsewhere, or
/// virtual and not final).
bool callReachesJoin(const CXXMethodDecl *Callee, const MemberFacts &M,
                     const CXXRecordDecl *RD, unsigned Depth,
                     llvm::DenseSet<const FunctionDecl *> &Seen);

/// The thread type behind a heap thread member's type \p T (`std::thread *`,
/// `std::unique_ptr<std::thread>`), with how it is held, or null.
const CXXRecordDecl *heapThreadRecord(QualType T, const ThreadApi &Api,
                                      MemberHolder &Holder);

/// Whether \p Def (or a method of the class it calls on `this`, a few calls
/// deep) joins the member: a recorded join in it, or a call we cannot see
/// into (defined elsewhere, or virtual and not final).
bool reachesJoin(const FunctionDecl *Def, const MemberFacts &M,
                 const CXXRecordDecl *RD, unsigned Depth,
                 llvm::DenseSet<const FunctionDecl *> &Seen);

/// Restarts and heap deletions of member \p M of \p RD (ThreadHolders.cpp):
/// each move-assignment of a new thread outside the constructors, and each
/// `delete` / `reset` of a heap thread, reached from the function's entry
/// on a path that neither joins nor detaches the member while another
/// function (a constructor, or a method declared before) may have left it
/// running. Destructor deletions are skipped when \p TrustOtherJoins and
/// another function joins the member (a stop() protocol).
void heldAtEntryFindings(const CXXRecordDecl *RD, const MemberFacts &M,
                         const ThreadApi &Api, bool TrustOtherJoins,
                         ThreadFindings &Out);

/// A member whose thread type detaches when destroyed (boost::thread's
/// default): started with a body that has a loop nothing can stop
/// (findEndlessLoop), and the destructor reaches no join, detach or
/// joinable() of it, and no other function does (a stop() protocol is
/// trusted) -- the thread outlives its owner.
void outlivesOwnerFindings(const CXXRecordDecl *RD, const MemberFacts &M,
                           const ThreadApi &Api, ThreadFindings &Out);

/// The form-4 findings for the members of \p RD whose destructor would
/// call std::terminate: never joined by the destructor (unless another
/// method joins them and \p RequireJoinInDestructor is off), restarted while
/// joinable, container elements destroyed while joinable.
ThreadFindings memberFindings(const CXXRecordDecl *RD, const ThreadApi &Api,
                              bool RequireJoinInDestructor);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_THREAD_THREADMEMBERS_H
