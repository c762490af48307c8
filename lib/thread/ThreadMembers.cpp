//===--- ThreadMembers.cpp - leak-tidy ------------------------------------===//
#include "lib/thread/ThreadMembers.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/VarUses.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"

namespace clang {
namespace leaklib {

static bool refersToField(const Expr *E, const FieldDecl *F) {
  const auto *ME =
      dyn_cast_or_null<MemberExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
  return ME && ME->getMemberDecl() == F;
}

/// \p E starts a thread: a construction, or a call to a function that
/// returns a fresh one (`worker_ = make_worker()`).
static bool startsThread(const Expr *E, const ThreadApi &Api) {
  if (threadStart(E, Api))
    return true;
  const auto *CE = dyn_cast_or_null<CallExpr>(ignoreTransparent(E, PeelValue));
  return CE && returnsFreshThread(CE->getDirectCallee(), Api);
}

static void noteStart(MemberFacts &M, SourceLocation Loc,
                      const FunctionDecl *Def) {
  M.Starts.push_back({Loc, Def});
  if (M.FirstStart.isInvalid()) {
    M.FirstStart = Loc;
    M.FirstStartIn = Def;
  }
  if (isa<CXXConstructorDecl>(Def))
    M.StartedInCtor = true;
}

static void escape(MemberFacts &M, const FunctionDecl *Def) {
  M.Escapes = true;
  if (!llvm::is_contained(M.EscapesIn, Def))
    M.EscapesIn.push_back(Def);
}

/// \p E makes a heap thread: `new std::thread(f)`,
/// `std::make_unique<std::thread>(f)`, a unique_ptr made from either.
static bool startsHeapThread(const Expr *E, const ThreadApi &Api) {
  E = ignoreTransparent(E, PeelValue);
  if (const auto *CCE = dyn_cast_or_null<CXXConstructExpr>(E))
    return CCE->getNumArgs() == 1 && startsHeapThread(CCE->getArg(0), Api);
  if (const auto *New = dyn_cast_or_null<CXXNewExpr>(E))
    return !New->isArray() && New->getConstructExpr() &&
           threadStart(New->getConstructExpr(), Api);
  const auto *CE = dyn_cast_or_null<CallExpr>(E);
  MemberHolder H;
  return CE && calleeName(CE) == "make_unique" && CE->getNumArgs() >= 1 &&
         heapThreadRecord(CE->getType(), Api, H);
}

static bool isNullValue(const Expr *E, const FunctionDecl *Def) {
  return E && E->IgnoreParenImpCasts()->isNullPointerConstant(
                  Def->getASTContext(), Expr::NPC_ValueDependentIsNotNull);
}

/// One use of a heap thread member (`std::thread *` or
/// `std::unique_ptr<std::thread>`): \p P is the parent of \p Child, the
/// member reference with parens and implicit casts.
static void scanHeapUse(const Stmt *Child, const Stmt *P, ParentMap &PM,
                        const FunctionDecl *Def, MemberFacts &M,
                        const ThreadApi &Api) {
  bool Unique = M.Holder == MemberHolder::UniquePtr;
  const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
  if (Unique && OC && OC->getOperator() == OO_Arrow) {
    P = PM.getParentIgnoreParenImpCasts(const_cast<CXXOperatorCallExpr *>(OC));
    OC = nullptr; // unique_ptr's -> as a raw pointer's
  }
  if (const auto *Outer = dyn_cast_or_null<MemberExpr>(P)) {
    const auto *MD = dyn_cast<CXXMethodDecl>(Outer->getMemberDecl());
    StringRef N = MD && MD->getIdentifier() ? MD->getName() : "";
    const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(PM.getParent(Outer));
    if (Unique && !Outer->isArrow() && Call) { // unique_ptr's own methods
      if (isa_and_nonnull<CXXConversionDecl>(MD))
        return; // if (worker_)
      if (N == "reset") {
        if (Call->getNumArgs() && startsHeapThread(Call->getArg(0), Api))
          noteStart(M, Call->getBeginLoc(), Def);
        M.Destroys.push_back({Call, Def});
        return;
      }
      escape(M, Def); // get(), release(), swap(): not followed
      return;
    }
    if (Api.JoinMethods.count(N) || Api.DetachMethods.count(N) ||
        N == "joinable")
      M.Joins.push_back({Outer->getBeginLoc(), Def});
    else if (N != "get_id")
      escape(M, Def);
    return;
  }
  const Expr *Value = nullptr; // `worker_ = Value`
  const Stmt *Assign = nullptr;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P)) {
    if (BO->getOpcode() == BO_Assign && BO->getLHS() == Child) {
      Value = BO->getRHS();
      Assign = BO;
    } else if (BO->isEqualityOp() || BO->isLogicalOp()) {
      return; // worker_ != nullptr
    }
  } else if (OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
             OC->getArg(0) == Child) {
    Value = OC->getArg(1);
    Assign = OC;
  } else if (OC && (OC->getOperator() == OO_EqualEqual ||
                    OC->getOperator() == OO_ExclaimEqual)) {
    return;
  }
  if (Assign && startsHeapThread(Value, Api)) {
    noteStart(M, Assign->getBeginLoc(), Def);
    if (Unique && !isa<CXXConstructorDecl>(Def))
      M.Destroys.push_back({Assign, Def}); // the old thread is destroyed
    return;
  }
  if (Assign && isNullValue(Value, Def)) {
    if (Unique)
      M.Destroys.push_back({Assign, Def});
    return;
  }
  if (isa_and_nonnull<CXXDeleteExpr>(P)) {
    M.Destroys.push_back({P, Def});
    return;
  }
  if (isa_and_nonnull<UnaryOperator>(P) &&
      cast<UnaryOperator>(P)->getOpcode() == UO_LNot)
    return;
  if (const auto *IC = dyn_cast<ImplicitCastExpr>(Child))
    if (IC->getCastKind() == CK_PointerToBoolean)
      return; // if (worker_)
  escape(M, Def);
}

/// `member_.method(...)`: a join, a start (container add), a destroy, or a
/// hand-off.
static void scanMemberCall(const MemberExpr *ME, const MemberExpr *Outer,
                           const Stmt *Child, ParentMap &PM,
                           const FunctionDecl *Def, MemberFacts &M,
                           const ThreadApi &Api) {
  const auto *MD = dyn_cast<CXXMethodDecl>(Outer->getMemberDecl());
  StringRef N = MD && MD->getIdentifier() ? MD->getName() : "";
  if (!M.IsContainer) {
    if (Api.JoinMethods.count(N) || Api.DetachMethods.count(N) ||
        N == "joinable")
      M.Joins.push_back({ME->getBeginLoc(), Def});
    else if (N != "get_id")
      escape(M, Def);
    return;
  }
  switch (classifyContainerRef(cast<Expr>(Child), PM)) {
  case ThreadContainerUse::Adds:
    noteStart(M, ME->getBeginLoc(), Def);
    if (isa<CXXConstructorDecl>(Def))
      M.StartedInCtor = true;
    break;
  case ThreadContainerUse::Destroys:
    M.Destroys.push_back({PM.getParent(const_cast<MemberExpr *>(Outer)), Def});
    break;
  default:
    break;
  }
}

/// `member_ = ...` and other operators on the member.
static void scanMemberOperator(const CXXOperatorCallExpr *OC, ParentMap &PM,
                               const FunctionDecl *Def, MemberFacts &M,
                               const ThreadApi &Api) {
  if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
      refersToField(OC->getArg(0), M.Field)) {
    if (!M.IsContainer && startsThread(OC->getArg(1), Api)) {
      noteStart(M, OC->getBeginLoc(), Def);
      M.StartExprs.push_back(OC->getArg(1));
      if (!isa<CXXConstructorDecl>(Def))
        M.Reassigns.push_back({OC, Def});
      return;
    }
    if (M.IsContainer) {
      M.Destroys.push_back({OC, Def});
      return;
    }
  }
  if (M.IsContainer && OC->getOperator() == OO_Subscript) {
    // `member_[id] = std::thread(...)` starts one (a map's new element);
    // other element access: joins are found by joinsSomeElement.
    const auto *Assign = dyn_cast_or_null<CXXOperatorCallExpr>(
        PM.getParentIgnoreParenImpCasts(const_cast<CXXOperatorCallExpr *>(OC)));
    if (Assign && Assign->getOperator() == OO_Equal &&
        Assign->getNumArgs() == 2 &&
        Assign->getArg(0)->IgnoreParenImpCasts() == OC &&
        startsThread(Assign->getArg(1), Api)) {
      noteStart(M, OC->getBeginLoc(), Def);
    }
    return;
  }
  escape(M, Def);
}

/// Any other use of a container member: iteration and begin()/end() are
/// element access; anything else (an alias `auto &t = member_;`,
/// std::move, passing it on) is a hand-off, not followed.
static bool isElementAccess(const Stmt *P, ParentMap &PM) {
  if (isa_and_nonnull<DeclStmt>(P))
    if (const auto *For = dyn_cast_or_null<CXXForRangeStmt>(
            PM.getParent(const_cast<Stmt *>(P))))
      if (For->getRangeStmt() == P)
        return true; // for (auto &t : member_)
  if (const auto *CE = dyn_cast_or_null<CallExpr>(P)) {
    StringRef N = calleeName(CE);
    return N == "begin" || N == "end" || N == "cbegin" || N == "cend";
  }
  return false;
}

/// \p P is a call passing the single-thread member (\p Child) to a
/// function that joins or detaches it (calleeEffectOnParam).
static bool passedToReleasingCall(const Stmt *P, const Stmt *Child,
                                  const ThreadApi &Api) {
  const auto *CE = dyn_cast_or_null<CallExpr>(P);
  if (!CE || isa<CXXOperatorCallExpr>(CE) || !CE->getDirectCallee())
    return false;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I)
    if (CE->getArg(I) == Child)
      return calleeEffectOnParam(CE->getDirectCallee(), I, Api) !=
             HandleEffect::Escapes;
  return false;
}

/// One reference \p ME to the member.
static void scanMemberUse(const MemberExpr *ME, ParentMap &PM,
                          const FunctionDecl *Def, MemberFacts &M,
                          const ThreadApi &Api) {
  const Stmt *Child = ME;
  const Stmt *P = PM.getParent(ME);
  while (P && (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P))) {
    Child = P;
    P = PM.getParent(P);
  }
  if (M.Holder != MemberHolder::Object)
    return scanHeapUse(Child, P, PM, Def, M, Api);
  if (const auto *Outer = dyn_cast_or_null<MemberExpr>(P))
    scanMemberCall(ME, Outer, Child, PM, Def, M, Api);
  else if (passedToReleasingCall(P, Child, Api))
    M.Joins.push_back({ME->getBeginLoc(), Def}); // stop_and_join(member_)
  else if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P))
    scanMemberOperator(OC, PM, Def, M, Api);
  else if (!M.IsContainer || !isElementAccess(P, PM))
    escape(M, Def);
}

void scanMethod(const FunctionDecl *Def, MemberFacts &M, const ThreadApi &Api) {
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *I : Ctor->inits())
      if (I->getMember() == M.Field && I->getInit() &&
          (M.Holder == MemberHolder::Object
               ? startsThread(I->getInit(), Api)
               : startsHeapThread(I->getInit(), Api))) {
        noteStart(M, I->getSourceLocation(), Def);
        M.StartExprs.push_back(I->getInit());
      }
  const Stmt *Body = Def->getBody();
  if (!Body)
    return;
  ParentMap PM(const_cast<Stmt *>(Body));
  bool UsesMember = false;
  forEachStmt(
      Body,
      [&](const Stmt *S) {
        const auto *ME = dyn_cast<MemberExpr>(S);
        if (ME && ME->getMemberDecl() == M.Field) {
          UsesMember = true;
          scanMemberUse(ME, PM, Def, M, Api);
        }
        return Walk::Continue;
      },
      LambdaPolicy::Enter);
  if (M.IsContainer && UsesMember && joinsSomeElement(Body, Api))
    M.Joins.push_back({Body->getBeginLoc(), Def});
}

bool reachesJoinHere(const FunctionDecl *Def, const MemberFacts &M,
                     const CXXRecordDecl *RD, unsigned Depth,
                     llvm::DenseSet<const FunctionDecl *> &Seen,
                     llvm::SmallVectorImpl<const CXXMethodDecl *> &Unseen) {
  if (!Def || !Seen.insert(Def).second)
    return false;
  for (const auto &J : M.Joins)
    if (J.second == Def)
      return true;
  if (Depth > 4 || !Def->getBody())
    return false;
  return anyStmt(
      Def->getBody(),
      [&](const Stmt *S) {
        const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
        if (!MC || !MC->getMethodDecl())
          return false;
        const Expr *Obj = MC->getImplicitObjectArgument();
        if (!Obj || !isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
          return false;
        const CXXMethodDecl *Callee = MC->getMethodDecl();
        const FunctionDecl *CalleeDef = nullptr;
        if (!Callee->hasBody(CalleeDef) ||
            (Callee->isVirtual() && !Callee->hasAttr<FinalAttr>() &&
             !RD->hasAttr<FinalAttr>())) {
          // Defined elsewhere, or an override may join: not seen here.
          if (!llvm::is_contained(Unseen, Callee))
            Unseen.push_back(Callee);
          return false;
        }
        return reachesJoinHere(CalleeDef, M, RD, Depth + 1, Seen, Unseen);
      },
      LambdaPolicy::Enter);
}

bool callReachesJoin(const CXXMethodDecl *Callee, const MemberFacts &M,
                     const CXXRecordDecl *RD, unsigned Depth,
                     llvm::DenseSet<const FunctionDecl *> &Seen) {
  const FunctionDecl *CalleeDef = nullptr;
  if (!Callee->hasBody(CalleeDef))
    return true; // defined elsewhere: it may join
  if (Callee->isVirtual() && !Callee->hasAttr<FinalAttr>() &&
      !RD->hasAttr<FinalAttr>())
    return true; // an override may join
  return reachesJoin(CalleeDef, M, RD, Depth, Seen);
}

bool reachesJoin(const FunctionDecl *Def, const MemberFacts &M,
                 const CXXRecordDecl *RD, unsigned Depth,
                 llvm::DenseSet<const FunctionDecl *> &Seen) {
  llvm::SmallVector<const CXXMethodDecl *, 2> Unseen;
  return reachesJoinHere(Def, M, RD, Depth, Seen, Unseen) || !Unseen.empty();
}

/// The method definitions of \p RD, member templates included.
static llvm::SmallVector<const FunctionDecl *, 16>
methodDefinitions(const CXXRecordDecl *RD) {
  llvm::SmallVector<const FunctionDecl *, 16> Defs;
  for (const CXXMethodDecl *MD : RD->methods()) {
    const FunctionDecl *Def = nullptr;
    if (MD->hasBody(Def) && Def)
      Defs.push_back(Def);
  }
  for (const Decl *D : RD->decls())
    if (const auto *FT = dyn_cast<FunctionTemplateDecl>(D)) {
      const FunctionDecl *Def = nullptr;
      if (FT->getTemplatedDecl()->hasBody(Def) && Def)
        Defs.push_back(Def);
    }
  return Defs;
}

/// The finding about member \p M of \p RD, before its kind's details.
static ThreadFinding memberFinding(ThreadLeak Kind, const CXXRecordDecl *RD,
                                   const MemberFacts &M) {
  ThreadFinding R;
  R.Kind = Kind;
  R.Loc = M.Field->getLocation();
  R.Thread = M.Field;
  R.Terminates = true;
  R.IsContainer = M.IsContainer;
  R.Record = RD;
  R.Started = M.FirstStart;
  R.StartedIn = M.FirstStartIn;
  return R;
}

/// The destructor does not join: one finding, with the join it misses.
static ThreadFinding notJoined(const CXXRecordDecl *RD, const MemberFacts &M) {
  ThreadFinding R = memberFinding(ThreadLeak::MemberNotJoined, RD, M);
  for (const auto &J : M.Joins)
    if (!isa<CXXDestructorDecl>(J.second)) {
      R.JoinedAt = J.first;
      R.JoinedIn = J.second;
      break;
    }
  return R;
}

/// Container elements destroyed (erase, clear, pop_back, reassignment) in a
/// function that joins or detaches none of them: `workers_.erase(id)`.
static void destroyedFindings(const CXXRecordDecl *RD, const MemberFacts &M,
                              ThreadFindings &Out) {
  if (!M.IsContainer)
    return; // heap threads: heldAtEntryFindings
  for (const auto &Destroy : M.Destroys) {
    const Stmt *Site = Destroy.first;
    const FunctionDecl *Method = Destroy.second;
    if (!Site || isa<CXXDestructorDecl>(Method) ||
        llvm::any_of(M.Joins,
                     [&](const auto &J) { return J.second == Method; }))
      continue;
    ThreadFinding D = memberFinding(ThreadLeak::MemberElementsDestroyed, RD, M);
    D.Loc = Site->getBeginLoc();
    Out.push_back(std::move(D));
  }
}

/// The member of \p Field's type: a thread, a container of threads, or a
/// heap thread (\p M.Holder), or null.
static const CXXRecordDecl *memberThread(const FieldDecl *Field, MemberFacts &M,
                                         const ThreadApi &Api) {
  QualType T = Field->getType();
  if (T->isReferenceType())
    return nullptr;
  if (const CXXRecordDecl *Elem = threadRecord(T, Api))
    return Elem;
  if (const CXXRecordDecl *Elem = threadContainerElement(T, Api)) {
    M.IsContainer = true;
    return Elem;
  }
  return heapThreadRecord(T, Api, M.Holder);
}

/// The first function other than the destructor that joins member \p M
/// and does not start it (a stop() trusted to be called), or null.
static const FunctionDecl *stopOf(const MemberFacts &M) {
  for (const auto &J : M.Joins)
    if (!isa<CXXDestructorDecl>(J.second) &&
        llvm::none_of(M.Starts,
                      [&](const auto &S) { return S.second == J.second; }))
      return J.second;
  return nullptr;
}

ThreadFindings memberFindings(const CXXRecordDecl *RD, const ThreadApi &Api,
                              bool RequireJoinInDestructor) {
  ThreadFindings Out;
  if (RD->isDependentContext())
    return Out; // templates: member uses are not resolved yet
  llvm::SmallVector<const FunctionDecl *, 16> Defs = methodDefinitions(RD);
  for (const FieldDecl *Field : RD->fields()) {
    MemberFacts M;
    M.Field = Field;
    const CXXRecordDecl *Elem = memberThread(Field, M, Api);
    if (!Elem)
      continue;
    for (const FunctionDecl *Def : Defs)
      scanMethod(Def, M, Api);
    MemberElsewhere Other(RD, M);
    Other.exportFacts(Defs);
    // Started nowhere this TU sees (and no other TU starts it), or handed
    // off: nothing to say.
    if (M.Escapes || (M.FirstStart.isInvalid() && !Other.start()))
      continue;
    if (!destructorTerminates(Elem)) {
      outlivesOwnerFindings(RD, M, Api, Out); // boost::thread detaches
      continue;
    }
    if (M.Holder == MemberHolder::RawPointer) {
      // Destroying the object leaves the heap thread alone: only the
      // deletions are followed.
      heldAtEntryFindings(RD, M, Api, !RequireJoinInDestructor, Out);
      continue;
    }
    const CXXDestructorDecl *Dtor = RD->getDestructor();
    const FunctionDecl *DtorDef = nullptr;
    bool DtorJoins = false;
    if (Dtor && Dtor->isUserProvided()) {
      Dtor->hasBody(DtorDef);
      MemberElsewhere::Verdict V = Other.destructorJoins(DtorDef);
      if (V == MemberElsewhere::Verdict::Unknown && !DtorDef)
        continue; // defined in another file that says nothing: cannot tell
      // A call we cannot see into may join.
      DtorJoins = V != MemberElsewhere::Verdict::DoesNotJoin;
    }
    bool JoinedElsewhere = llvm::any_of(M.Joins, [](const auto &J) {
      return !isa<CXXDestructorDecl>(J.second);
    });
    if (!DtorJoins) {
      if (Other.escapes())
        continue; // another TU hands it off
      JoinedElsewhere = JoinedElsewhere || Other.joinOutsideDestructor();
    }
    // A start()/stop() protocol (a test fixture's SetUp/TearDown, a pool's
    // shutdown()): unless asked, trust that the owner calls it.
    if (!DtorJoins && !(JoinedElsewhere && !RequireJoinInDestructor)) {
      ThreadFinding R = notJoined(RD, M);
      Other.describe(R); // the places in other files, from project facts
      Out.push_back(std::move(R));
      continue;
    }
    // Joined (or trusted to be): restarts, deletions and element
    // destruction while it may still run; a join guarded by a flag that
    // can be clear while the thread runs.
    heldAtEntryFindings(RD, M, Api, !RequireJoinInDestructor, Out);
    destroyedFindings(RD, M, Out);
    guardedTeardownFindings(RD, M, DtorJoins ? DtorDef : stopOf(M), Api, Out);
  }
  return Out;
}

} // namespace leaklib
} // namespace clang
