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

#include "lib/program/ProjectFacts.h"
#include "lib/thread/ThreadFacts.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"

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
  /// Every start (construction, assignment, container add), with its method.
  llvm::SmallVector<std::pair<SourceLocation, const FunctionDecl *>, 2> Starts;
  /// The methods handing the member off (Escapes).
  llvm::SmallVector<const FunctionDecl *, 1> EscapesIn;
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

/// Whether \p S joins, detaches or tests joinable() on the member \p M
/// itself (through `*`, `->` too), or passes it to a function that joins or
/// detaches its parameter (ThreadHolders.cpp).
bool releasesMember(const Stmt *S, const MemberFacts &M, const ThreadApi &Api);

/// The teardown of member \p M (ThreadGuards.cpp): \p Teardown (the
/// destructor, or the stop() trusted to join) joins it only when a flag of
/// \p RD is set (`if (running_) { running_ = false; t_.join(); }`), directly
/// or through the class's methods it calls, and that flag can be clear
/// while the thread is joinable: the worker clears it, or a start returns
/// on a path that started the thread but never set it. Adds
/// MemberGuardedJoin with the path from the entry to the end of the
/// teardown that skips the join. Guards on joinable(), on a flag only the
/// owner writes, or on other state stay silent.
void guardedTeardownFindings(const CXXRecordDecl *RD, const MemberFacts &M,
                             const FunctionDecl *Teardown, const ThreadApi &Api,
                             ThreadFindings &Out);

/// Like reachesJoin, but a call we cannot see into is not taken as a join:
/// it is added to \p Unseen (the method called), and the result says
/// whether code this TU sees joins.
bool reachesJoinHere(const FunctionDecl *Def, const MemberFacts &M,
                     const CXXRecordDecl *RD, unsigned Depth,
                     llvm::DenseSet<const FunctionDecl *> &Seen,
                     llvm::SmallVectorImpl<const CXXMethodDecl *> &Unseen);

/// What other translation units do with one thread member, from the project
/// facts (kind `thread_member`, ThreadMemberFacts.cpp); and the facts this
/// TU exports about it. Every question is asked only when the verdict
/// depends on it; without a store every answer is "nothing known", which
/// leaves today's verdict.
class MemberElsewhere {
public:
  enum class Verdict { Joins, DoesNotJoin, Unknown };
  MemberElsewhere(const CXXRecordDecl *RD, const MemberFacts &M);
  /// Exports, per method of \p Defs defined in the main file, what it does
  /// with the member: starts ("start"), hands it off ("escape"), and one
  /// summary: reaches a join ("join") or not ("none", with "calls": the
  /// methods called on `this` that this TU cannot see into).
  void exportFacts(llvm::ArrayRef<const FunctionDecl *> Defs);
  /// A start of the member in another TU, or null.
  const ProjectFacts::Record *start();
  /// Another TU hands the member off.
  bool escapes();
  /// Another TU joins or detaches it outside the destructor, or null.
  const ProjectFacts::Record *joinOutsideDestructor();
  /// Whether the destructor reaches a join: \p DtorDef (defined here) or
  /// the destructor another TU defines; calls into methods this TU cannot
  /// see are answered by the facts of the TUs defining them.
  Verdict destructorJoins(const FunctionDecl *DtorDef);
  /// Fills the cross-TU places of \p F: a start in another file, and the
  /// method of another file that does not join (after DoesNotJoin).
  void describe(ThreadFinding &F);

private:
  const std::vector<ProjectFacts::Record> &records();
  Verdict localJoins(const FunctionDecl *Def, unsigned Depth,
                     llvm::StringSet<> &Seen);
  Verdict methodJoins(llvm::StringRef Name, unsigned Depth,
                      llvm::StringSet<> &Seen);
  const CXXRecordDecl *RD;
  const MemberFacts &M;
  ProjectFacts &PF;
  bool Asked = false;
  std::vector<ProjectFacts::Record> Records;
  const ProjectFacts::Record *Culprit = nullptr;
};

/// The form-4 findings for the members of \p RD whose destructor would
/// call std::terminate: never joined by the destructor (unless another
/// method joins them and \p RequireJoinInDestructor is off), restarted while
/// joinable, container elements destroyed while joinable.
ThreadFindings memberFindings(const CXXRecordDecl *RD, const ThreadApi &Api,
                              bool RequireJoinInDestructor);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_THREAD_THREADMEMBERS_H
