//===--- ThreadHolders.cpp - leak-tidy ------------------------------------===//
//
// Form 4 of leak-unjoined-thread, the holders that outlive one call: a
// thread member restarted (`worker_ = std::thread(...)` in restart()) and a
// heap thread member deleted (`delete worker_`, `worker_.reset()`) while
// the thread another function started may still be joinable. The member is
// held when the function starts; the lifetime engine's reachedWhileHeld
// searches a path from the entry to the assignment or deletion on which
// nothing joins or detaches it (MemberHeldModel says what does).
//
//===----------------------------------------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/thread/ThreadBody.h"
#include "lib/thread/ThreadMembers.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"

namespace clang {
namespace leaklib {

const CXXRecordDecl *heapThreadRecord(QualType T, const ThreadApi &Api,
                                      MemberHolder &Holder) {
  if (T.isNull() || T->isReferenceType())
    return nullptr;
  if (const auto *PT = T->getAs<PointerType>()) {
    Holder = MemberHolder::RawPointer;
    return threadRecord(PT->getPointeeType(), Api);
  }
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  static const NameMatcher Unique({"std::unique_ptr"});
  if (!Spec || !Unique.matches(Spec) || Spec->getTemplateArgs().size() < 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return nullptr;
  Holder = MemberHolder::UniquePtr;
  return threadRecord(Spec->getTemplateArgs()[0].getAsType(), Api);
}

namespace {

/// \p E names the member \p F, directly or through `*`, `->` (raw or
/// unique_ptr's operators).
bool namesMember(const Expr *E, const FieldDecl *F) {
  for (unsigned Depth = 0; E && Depth < 4; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return ME->getMemberDecl() == F;
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() != UO_Deref)
        return false;
      E = UO->getSubExpr();
    } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      if ((OC->getOperator() != OO_Arrow && OC->getOperator() != OO_Star) ||
          OC->getNumArgs() < 1)
        return false;
      E = OC->getArg(0);
    } else {
      return false;
    }
  }
  return false;
}

/// \p E reads a member of `this` other than \p Tracked, or calls a method on
/// `this`: state a path cannot follow.
bool readsObjectState(const Expr *E, const FieldDecl *Tracked) {
  return E && anyStmt(
                  E,
                  [&](const Stmt *S) {
                    if (const auto *ME = dyn_cast<MemberExpr>(S)) {
                      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
                      return isa<CXXThisExpr>(Base) &&
                             ME->getMemberDecl() != Tracked &&
                             !isa<CXXMethodDecl>(ME->getMemberDecl());
                    }
                    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
                      const Expr *Obj = MC->getImplicitObjectArgument();
                      return Obj &&
                             isa<CXXThisExpr>(Obj->IgnoreParenImpCasts());
                    }
                    return false;
                  },
                  LambdaPolicy::Skip);
}

/// The value of the branch condition \p Cond on which the heap thread
/// member \p F is null: `worker_`, `worker_ != nullptr` (false), `!worker_`,
/// `worker_ == nullptr` (true); none for any other condition.
std::optional<bool> nullWhen(const Expr *Cond, const FieldDecl *F,
                             ASTContext &Ctx) {
  bool Negated = false;
  const Expr *E = Cond ? Cond->IgnoreParenImpCasts() : nullptr;
  while (const auto *UO = dyn_cast_or_null<UnaryOperator>(E)) {
    if (UO->getOpcode() != UO_LNot)
      return std::nullopt;
    Negated = !Negated;
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  }
  if (!E)
    return std::nullopt;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
      E = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl() == F ? std::optional<bool>(Negated)
                                    : std::nullopt;
  const Expr *L = nullptr, *R = nullptr;
  bool Equal = false;
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (!BO->isEqualityOp())
      return std::nullopt;
    L = BO->getLHS();
    R = BO->getRHS();
    Equal = BO->getOpcode() == BO_EQ;
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    if ((OC->getOperator() != OO_EqualEqual &&
         OC->getOperator() != OO_ExclaimEqual) ||
        OC->getNumArgs() != 2)
      return std::nullopt;
    L = OC->getArg(0);
    R = OC->getArg(1);
    Equal = OC->getOperator() == OO_EqualEqual;
  } else {
    return std::nullopt;
  }
  auto IsNull = [&](const Expr *X) {
    return X->IgnoreParenImpCasts()->isNullPointerConstant(
        Ctx, Expr::NPC_ValueDependentIsNotNull);
  };
  if (!(namesMember(L, F) && IsNull(R)) && !(namesMember(R, F) && IsNull(L)))
    return std::nullopt;
  return Equal != Negated;
}

/// A member held when the function starts: released by a join, detach or
/// joinable() on it, by passing it to a function that joins it, or by a
/// call of one of the class's methods that reaches such a join (or that we
/// cannot see into). A branch on other state of the object (`if (running_)
/// return;`) is Unsure: the guard may keep the old thread from running.
class MemberHeldModel : public ResourceModel {
public:
  MemberHeldModel(const CXXRecordDecl *RD, const MemberFacts &M,
                  const FunctionDecl *Def, const ThreadApi &Api)
      : RD(RD), M(M), Def(Def), Api(Api) {}

  Effect effectOf(const Stmt *S) override {
    if (releasesMember(S, M, Api))
      return Releases;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (const CXXMethodDecl *MD = MC->getMethodDecl()) {
        const Expr *Obj = MC->getImplicitObjectArgument();
        if (Obj && isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
          return methodJoins(MD) ? Releases : NoEffect;
      }
    return NoEffect;
  }

  EdgeVerdict edgeVerdict(const BranchEdge &E) override {
    // The branch on which a heap thread member is null holds no thread.
    if (M.Holder != MemberHolder::Object && E.Successor < 2 && E.Ctx)
      if (std::optional<bool> Null = nullWhen(E.Condition, M.Field, *E.Ctx))
        if (*Null == (E.Successor == 0))
          return EdgeVerdict::NotHeld;
    return readsObjectState(E.Condition, M.Field) ? EdgeVerdict::Unsure
                                                  : EdgeVerdict::Follow;
  }

private:
  bool methodJoins(const CXXMethodDecl *Callee) {
    llvm::DenseSet<const FunctionDecl *> Seen{Def};
    return callReachesJoin(Callee, M, RD, 1, Seen);
  }
  const CXXRecordDecl *RD;
  const MemberFacts &M;
  const FunctionDecl *Def;
  const ThreadApi &Api;
};

/// Whether another function may have left the member running when \p Def
/// starts: a constructor started it, or a method other than \p Def did and
/// \p Def is not the first method (in declaration order) that starts it.
bool mayBeRunningAtEntry(const MemberFacts &M, const FunctionDecl *Def) {
  if (isa<CXXConstructorDecl>(Def))
    return false;
  if (M.StartedInCtor)
    return true;
  return M.FirstStartIn && M.FirstStartIn != Def;
}

ThreadFinding heldFinding(ThreadLeak Kind, const CXXRecordDecl *RD,
                          const MemberFacts &M, const Stmt *Site,
                          LeakPath Path) {
  ThreadFinding R;
  R.Kind = Kind;
  R.Loc = Site->getBeginLoc();
  R.Thread = M.Field;
  R.Terminates = true;
  R.Pointer = M.Holder != MemberHolder::Object;
  R.Record = RD;
  R.Started = M.FirstStart;
  R.StartedIn = M.FirstStartIn;
  R.Path = std::move(Path);
  return R;
}

/// The engine's answer for one site of \p Def, the member held at entry.
std::optional<LeakPath> pathToSite(const CXXRecordDecl *RD,
                                   const MemberFacts &M, const Stmt *Site,
                                   const FunctionDecl *Def,
                                   const ThreadApi &Api) {
  FunctionCFG *CFG =
      FunctionCFG::get(Def, Def->getBody(), Def->getASTContext());
  if (!CFG)
    return std::nullopt;
  MemberHeldModel Model(RD, M, Def, Api);
  LifetimeResult R = reachedWhileHeld(*CFG, Site, Model, 50000);
  if (!R.leaked())
    return std::nullopt;
  return std::move(R.Path);
}

} // namespace

bool releasesMember(const Stmt *S, const MemberFacts &M, const ThreadApi &Api) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    if (const CXXMethodDecl *MD = MC->getMethodDecl()) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      StringRef N = MD->getIdentifier() ? MD->getName() : "";
      if (Obj && namesMember(Obj, M.Field) &&
          (Api.JoinMethods.count(N) || Api.DetachMethods.count(N) ||
           N == "joinable"))
        return true;
    }
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = CE->getDirectCallee())
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        if (namesMember(CE->getArg(I), M.Field) &&
            calleeEffectOnParam(Callee, I, Api) != HandleEffect::Escapes)
          return true;
  return false;
}

void heldAtEntryFindings(const CXXRecordDecl *RD, const MemberFacts &M,
                         const ThreadApi &Api, bool TrustOtherJoins,
                         ThreadFindings &Out) {
  if (M.IsContainer)
    return;
  for (const auto &[Site, Def] : M.Reassigns) {
    if (M.Holder != MemberHolder::Object || !Site ||
        !mayBeRunningAtEntry(M, Def))
      continue;
    if (std::optional<LeakPath> P = pathToSite(RD, M, Site, Def, Api))
      Out.push_back(
          heldFinding(ThreadLeak::MemberRestarted, RD, M, Site, std::move(*P)));
  }
  if (M.Holder == MemberHolder::Object)
    return;
  bool OtherJoins = llvm::any_of(
      M.Joins, [](const auto &J) { return !isa<CXXDestructorDecl>(J.second); });
  for (const auto &[Site, Def] : M.Destroys) {
    if (!Site || isa<CXXConstructorDecl>(Def))
      continue;
    bool InDtor = isa<CXXDestructorDecl>(Def);
    if (InDtor ? (TrustOtherJoins && OtherJoins) : !mayBeRunningAtEntry(M, Def))
      continue;
    if (std::optional<LeakPath> P = pathToSite(RD, M, Site, Def, Api))
      Out.push_back(heldFinding(ThreadLeak::MemberDeletedJoinable, RD, M, Site,
                                std::move(*P)));
  }
}

void outlivesOwnerFindings(const CXXRecordDecl *RD, const MemberFacts &M,
                           const ThreadApi &Api, ThreadFindings &Out) {
  if (M.IsContainer || M.Holder != MemberHolder::Object)
    return;
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  if (Dtor && Dtor->isUserProvided()) {
    const FunctionDecl *DtorDef = nullptr;
    if (!Dtor->hasBody(DtorDef))
      return; // defined in another file: we cannot tell
    llvm::DenseSet<const FunctionDecl *> Seen;
    if (reachesJoin(DtorDef, M, RD, 0, Seen))
      return;
  }
  if (!M.Joins.empty())
    return; // joined or detached by a stop() the owner may call
  for (const Expr *E : M.StartExprs) {
    const CXXConstructExpr *Start = threadStart(E, Api);
    const Stmt *Body =
        Start && Start->getNumArgs() ? callableBody(Start->getArg(0)) : nullptr;
    const Stmt *Loop =
        Body ? findEndlessLoop(Body, RD->getASTContext(), Api.WaitFunctions)
             : nullptr;
    if (!Loop)
      continue;
    ThreadFinding R;
    R.Kind = ThreadLeak::MemberOutlivesOwner;
    R.Loc = M.Field->getLocation();
    R.Thread = M.Field;
    R.Record = RD;
    R.Started = E->getBeginLoc();
    R.Loop = Loop->getBeginLoc();
    Out.push_back(std::move(R));
    return;
  }
}

} // namespace leaklib
} // namespace clang
