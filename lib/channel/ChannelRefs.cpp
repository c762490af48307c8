//===--- ChannelRefs.cpp - leak-tidy -------------------------------------===//
//
// The one-expression classifications of the ChannelModel that walk up from a
// reference: what a reference to a channel handle does (classifyRef), whether
// a future reference consumes the future, where a sender lambda is started.
//
//===----------------------------------------------------------------------===//
#include "lib/channel/ChannelModel.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/VarUses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

//===----------------------------------------------------------------------===//
// Classifying references
//===----------------------------------------------------------------------===//

namespace {

/// The parent of \p S: a statement, or (through \p AsDecl) a declaration.
const Stmt *parentOf(const Stmt *S, ASTContext &Ctx,
                     const Decl **AsDecl = nullptr) {
  if (AsDecl)
    *AsDecl = nullptr;
  llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(*S);
  if (Ps.empty())
    return nullptr;
  if (const Stmt *P = Ps[0].get<Stmt>())
    return P;
  if (AsDecl)
    *AsDecl = Ps[0].get<Decl>();
  return nullptr;
}

/// Nodes that only carry a value on: parens, implicit and named casts,
/// temporaries (not a functional cast, which makes a new object, nor a cast
/// to void, which drops the value).
bool isTransparent(const Stmt *P) {
  const auto *E = dyn_cast<Expr>(P);
  if (!E || isa<CXXFunctionalCastExpr>(E))
    return false;
  if (const auto *C = dyn_cast<CStyleCastExpr>(E))
    return !C->getType()->isVoidType();
  return ignoreTransparent(E, PeelTemporaries | PeelExplicitCasts) != E;
}

/// Whether the value of \p Call is looked at (compared, stored, tested).
bool resultUsed(const Stmt *Call, ASTContext &Ctx) {
  const Stmt *Cur = Call;
  for (int Guard = 0; Guard < 16; ++Guard) {
    const Decl *PD = nullptr;
    const Stmt *P = parentOf(Cur, Ctx, &PD);
    if (!P)
      return PD != nullptr; // initializes a variable
    if (isTransparent(P) || isa<CoawaitExpr>(P)) {
      Cur = P; // co_await ch.async_send(..., use_awaitable): look at its use
      continue;
    }
    if (const auto *C = dyn_cast<CStyleCastExpr>(P))
      return !C->getType()->isVoidType();
    if (const auto *If = dyn_cast<IfStmt>(P))
      return If->getCond() == Cur;
    if (const auto *W = dyn_cast<WhileStmt>(P))
      return W->getCond() == Cur;
    if (const auto *D = dyn_cast<DoStmt>(P))
      return D->getCond() == Cur;
    if (const auto *F = dyn_cast<ForStmt>(P))
      return F->getCond() == Cur;
    if (const auto *Sw = dyn_cast<SwitchStmt>(P))
      return Sw->getCond() == Cur;
    if (isa<Expr>(P) || isa<ReturnStmt>(P) || isa<DeclStmt>(P))
      return true;
    return false; // a statement of its own
  }
  return true;
}

llvm::StringRef unresolvedCalleeName(const CallExpr *CE) {
  llvm::StringRef N = calleeName(CE);
  if (!N.empty())
    return N;
  const Expr *Callee = CE->getCallee()->IgnoreParenImpCasts();
  if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(Callee))
    if (ULE->getName().isIdentifier())
      return ULE->getName().getAsIdentifierInfo()->getName();
  return "";
}

/// std::move / std::forward / std::ref and the like: the value goes on.
bool isPassThroughCall(const CallExpr *CE) {
  if (isMoveLike(CE))
    return true;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || CE->getNumArgs() != 1)
    return false;
  std::string N = qualifiedName(FD);
  return N == "std::ref" || N == "std::cref" || N == "boost::ref" ||
         N == "boost::cref";
}

} // namespace

bool isChannelCreation(const Expr *E) {
  if (!E)
    return false;
  E = ignoreTransparent(E, PeelTemporaries | PeelExplicitCasts);
  if (isa<CXXNewExpr>(E))
    return true;
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    llvm::StringRef N = unresolvedCalleeName(CE);
    return N == "make_shared" || N == "make_unique" ||
           N.starts_with("g_async_queue_new");
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(E))
    for (const Expr *A : CCE->arguments())
      if (isChannelCreation(A))
        return true;
  return false;
}

namespace {

ChannelUse use(ChannelUse::Kind K, const Stmt *Node = nullptr,
               const ValueDecl *AliasOf = nullptr) {
  ChannelUse U;
  U.K = K;
  U.Node = Node;
  U.AliasOf = AliasOf;
  return U;
}

/// A reference whose parent is no statement: a member initializer, a
/// variable it initializes (an alias; the hidden range of a range-for: a
/// drain), a default member initializer.
ChannelUse useOutsideStmt(const Stmt *Cur, const Decl *PD, ASTContext &Ctx) {
  const ParentIndex &PI = ParentIndex::get(Ctx);
  if (!PD) {
    // A constructor's member initializer: `Logger(GAsyncQueue *q) : q_(q)`.
    llvm::ArrayRef<DynTypedNode> Ps = PI.parents(*Cur);
    if (!Ps.empty())
      if (const auto *Init = Ps[0].get<CXXCtorInitializer>())
        if (FieldDecl *FD = Init->getMember())
          return use(ChannelUse::Alias, nullptr, FD);
    return ChannelUse();
  }
  const auto *VD = dyn_cast<VarDecl>(PD);
  if (!VD)
    return use(ChannelUse::Escape); // a default member initializer, ...
  if (!VD->isImplicit() || !VD->getName().starts_with("__range"))
    return use(ChannelUse::Alias, nullptr, VD);
  llvm::ArrayRef<DynTypedNode> Ps = PI.parents(*VD);
  const Stmt *DS = Ps.empty() ? nullptr : Ps[0].get<Stmt>();
  const Stmt *For = DS ? parentOf(DS, Ctx) : nullptr;
  if (isa_and_nonnull<CXXForRangeStmt>(For))
    return use(ChannelUse::Drain, For);
  return ChannelUse();
}

/// Where the future of `promise.get_future()` (the call \p CE) goes: into a
/// variable (FutureInto), nowhere (FutureDiscarded), or on (a read).
void followFuture(const CallExpr *CE, ChannelUse &U, ASTContext &Ctx) {
  const Stmt *C = CE;
  for (int G = 0; G < 16; ++G) {
    const Decl *D = nullptr;
    const Stmt *Q = parentOf(C, Ctx, &D);
    if (!Q) {
      if (const auto *VD = dyn_cast_or_null<VarDecl>(D)) {
        U.K = ChannelUse::FutureInto;
        U.AliasOf = VD;
      }
      return;
    }
    const auto *CCE = dyn_cast<CXXConstructExpr>(Q);
    if (isTransparent(Q) || (CCE && CCE->getNumArgs() == 1)) {
      C = Q;
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Q))
      if (OC->isAssignmentOp() && OC->getNumArgs() == 2 &&
          OC->getArg(1)->IgnoreImplicit() == cast<Expr>(C)->IgnoreImplicit())
        if (const auto *L =
                dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts())) {
          U.K = ChannelUse::FutureInto;
          U.AliasOf = L->getDecl();
          return;
        }
    if (!resultUsed(C, Ctx))
      U.K = ChannelUse::FutureDiscarded;
    return; // passed on, returned: an Operation (a read)
  }
}

/// `ch.member(...)` / `ch->member(...)`: \p MemberNode is the member
/// expression with the reference as its base.
ChannelUse useAsObject(const Expr *MemberNode, llvm::StringRef Member,
                       const ChannelFamily &F, const ChannelModel &M,
                       ASTContext &Ctx) {
  ChannelUse U;
  const auto *CE = dyn_cast_or_null<CallExpr>(parentOf(MemberNode, Ctx));
  if (!CE || CE->getCallee()->IgnoreParenImpCasts() != MemberNode ||
      Member.empty())
    return U;
  U.Op = M.classifyMember(F, Member);
  if (U.Op == ChannelOp::None)
    return U;
  U.K = ChannelUse::Operation;
  U.Node = CE;
  U.StatusUsed = resultUsed(CE, Ctx);
  if (F.Capacity == CapacityKind::Promise && U.Op == ChannelOp::Receive)
    followFuture(CE, U, Ctx); // get_future(): where does the future go?
  return U;
}

/// The member expression (and member name) with \p Cur as its base.
const Expr *memberOn(const Stmt *P, const Stmt *Cur, llvm::StringRef &Member) {
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    if (ME->getBase() != Cur || !ME->getMemberDecl()->getIdentifier())
      return nullptr;
    Member = ME->getMemberDecl()->getName();
    return ME;
  }
  if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(P)) {
    if (!DM->isImplicitAccess() && DM->getBase() == Cur &&
        DM->getMember().isIdentifier())
      Member = DM->getMember().getAsIdentifierInfo()->getName();
    return DM;
  }
  return nullptr;
}

/// The reference is an argument of \p CE: a free channel operation, a
/// parameter of a function defined here (an alias), or an escape.
ChannelUse useAsArgument(const CallExpr *CE, const Stmt *Cur,
                         const ChannelModel &M, ASTContext &Ctx) {
  ChannelUse U;
  U.Op = M.classifyFree(unresolvedCalleeName(CE));
  U.Node = CE;
  if (U.Op != ChannelOp::None) {
    U.K = ChannelUse::Operation;
    U.StatusUsed = resultUsed(CE, Ctx);
    return U;
  }
  const FunctionDecl *FD = CE->getDirectCallee();
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  if (!Def || !Def->hasBody() ||
      Ctx.getSourceManager().isInSystemHeader(Def->getLocation())) {
    U.K = ChannelUse::ExternalEscape;
    return U;
  }
  unsigned First = isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
  for (unsigned I = First; I < CE->getNumArgs(); ++I)
    if (CE->getArg(I) == Cur && I - First < Def->getNumParams())
      return use(ChannelUse::Alias, CE, Def->getParamDecl(I - First));
  U.K = ChannelUse::Escape;
  return U;
}

/// An overloaded operator applied to the reference; nullopt: `*ch`, `ch->`
/// carry the handle on.
std::optional<ChannelUse> useInOperator(const CXXOperatorCallExpr *OC,
                                        const Stmt *Cur) {
  OverloadedOperatorKind O = OC->getOperator();
  bool IsObject = OC->getNumArgs() >= 1 && OC->getArg(0) == Cur;
  if (IsObject && (O == OO_Arrow || O == OO_Star))
    return std::nullopt;
  if (OC->isAssignmentOp())
    return use(IsObject ? ChannelUse::Neutral : ChannelUse::Escape, OC);
  if (O == OO_EqualEqual || O == OO_ExclaimEqual || O == OO_Exclaim)
    return ChannelUse();
  return use(ChannelUse::Escape, OC);
}

/// What parent \p P does with the reference (or with the handle expression
/// \p Cur it became); nullopt: \p P carries it on, look further up.
std::optional<ChannelUse> useInParent(const Stmt *P, const Stmt *Cur,
                                      const ChannelFamily &F,
                                      const ChannelModel &M, ASTContext &Ctx) {
  if (isa<CStyleCastExpr>(P))
    return ChannelUse(); // (void)ch
  if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
    if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf)
      return std::nullopt;
    return ChannelUse();
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P))
    return useInOperator(OC, Cur);
  llvm::StringRef Member;
  if (const Expr *MemberNode = memberOn(P, Cur, Member))
    return useAsObject(MemberNode, Member, F, M, Ctx);
  if (isa<MemberExpr>(P))
    return ChannelUse(); // a member of something else, named through ch
  if (const auto *CE = dyn_cast<CallExpr>(P)) {
    if (CE->getCallee()->IgnoreParenImpCasts() == Cur)
      return ChannelUse();
    if (isPassThroughCall(CE))
      return std::nullopt;
    return useAsArgument(CE, Cur, M, Ctx);
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(P)) {
    if (CCE->getNumArgs() == 1 &&
        CCE->getConstructor()->isCopyOrMoveConstructor())
      return std::nullopt;
    return use(ChannelUse::Escape, CCE);
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
    if (!BO->isAssignmentOp())
      return ChannelUse();
    // assigned to (LHS) or stored away (RHS)
    return use(BO->getRHS() == Cur ? ChannelUse::Escape : ChannelUse::Neutral,
               BO);
  }
  if (isa<LambdaExpr>(P))
    return ChannelUse(); // a capture: the uses inside the lambda body tell
  if (const auto *PL = dyn_cast<ParenListExpr>(P))
    if (PL->getNumExprs() == 1)
      return std::nullopt; // a dependent copy: T x(ch), a template capture
  if (isa<CXXForRangeStmt>(P))
    return use(ChannelUse::Drain, P);
  if (isa<ReturnStmt, CoreturnStmt, InitListExpr, CXXNewExpr,
          CXXParenListInitExpr, CXXUnresolvedConstructExpr, ParenListExpr>(P))
    return use(ChannelUse::Escape, P);
  return ChannelUse();
}

} // namespace

ChannelUse ChannelModel::classifyRef(const Expr *Ref, const ChannelFamily &F,
                                     ASTContext &Ctx) const {
  const Stmt *Cur = Ref;
  for (int Guard = 0; Cur && Guard < 32; ++Guard) {
    const Decl *PD = nullptr;
    const Stmt *P = parentOf(Cur, Ctx, &PD);
    if (!P)
      return useOutsideStmt(Cur, PD, Ctx);
    if (isTransparent(P)) {
      Cur = P;
      continue;
    }
    std::optional<ChannelUse> U = useInParent(P, Cur, F, *this, Ctx);
    if (U)
      return *U;
    Cur = P;
  }
  return ChannelUse();
}

//===----------------------------------------------------------------------===//
// Where a sender lambda starts
//===----------------------------------------------------------------------===//

namespace {

/// The parent statement of \p S; through a variable whose initializer it is,
/// the DeclStmt.
const Stmt *stmtParent(const Stmt *S, ASTContext &Ctx) {
  const Decl *PD = nullptr;
  if (const Stmt *P = parentOf(S, Ctx, &PD))
    return P;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(PD)) {
    llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(*VD);
    if (!Ps.empty())
      return Ps[0].get<Stmt>();
  }
  return nullptr;
}

bool isTemporaryWrapper(const Stmt *P) {
  return isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
             ParenExpr, ExprWithCleanups, CXXFunctionalCastExpr>(P);
}

/// `threads.emplace_back(lambda)` on a container of a start class.
bool emplacesStartClass(const CXXMemberCallExpr *MC,
                        llvm::function_ref<bool(const NamedDecl *)> Starts) {
  const CXXMethodDecl *MD = MC->getMethodDecl();
  llvm::StringRef N = MD && MD->getIdentifier() ? MD->getName() : "";
  if (N != "emplace_back" && N != "emplace" && N != "emplace_front")
    return false;
  const auto *CTS =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(MC->getRecordDecl());
  return CTS && CTS->getTemplateArgs().size() > 0 &&
         CTS->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
         Starts(CTS->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl());
}

/// Whether call \p CE calls a start function (resolved or not).
bool callsStart(const CallExpr *CE,
                llvm::function_ref<bool(const NamedDecl *)> Starts) {
  if (const FunctionDecl *FD = CE->getDirectCallee())
    if (Starts(FD))
      return true;
  if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(
          CE->getCallee()->IgnoreParenImpCasts()))
    for (const NamedDecl *D : ULE->decls())
      if (Starts(D->getUnderlyingDecl()))
        return true;
  return false;
}

} // namespace

bool ChannelModel::startsSender(const NamedDecl *D) const {
  return D && Starts.matches(D);
}

const Expr *ChannelModel::senderStart(const LambdaExpr *L,
                                      ASTContext &Ctx) const {
  auto Starts = [this](const NamedDecl *D) { return startsSender(D); };
  const Stmt *Cur = L;
  for (int Guard = 0; Guard < 8; ++Guard) {
    const Stmt *P = stmtParent(Cur, Ctx);
    if (!P)
      return nullptr;
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(P)) {
      if (Starts(CCE->getConstructor()->getParent()))
        return CCE;
      Cur = P; // std::function<void()> from the lambda, ...
      continue;
    }
    if (const auto *UC = dyn_cast<CXXUnresolvedConstructExpr>(P))
      return Starts(UC->getTypeAsWritten()->getAsCXXRecordDecl()) ? UC
                                                                  : nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P)) {
      if (Starts(MC->getMethodDecl()) || emplacesStartClass(MC, Starts))
        return MC; // pool.submit(task), as configured; threads.emplace_back
      if (MC->getCallee()->IgnoreParenImpCasts() != Cur)
        return nullptr;
      Cur = P;
      continue;
    }
    if (const auto *CE = dyn_cast<CallExpr>(P)) {
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
        if (OC->getOperator() == OO_Call && OC->getArg(0) == Cur) {
          Cur = P; // co_spawn(ex, [&]() -> awaitable<void> {...}(), ...)
          continue;
        }
      return callsStart(CE, Starts) ? CE : nullptr;
    }
    if (!isTemporaryWrapper(P))
      return nullptr;
    Cur = P;
  }
  return nullptr;
}

bool ChannelModel::futureRefConsumes(const Expr *Ref, ASTContext &Ctx) const {
  const Stmt *Cur = Ref;
  for (int Guard = 0; Cur && Guard < 16; ++Guard) {
    const Decl *PD = nullptr;
    const Stmt *P = parentOf(Cur, Ctx, &PD);
    if (!P)
      return PD != nullptr; // bound to another variable: passed on
    if (isTransparent(P)) {
      Cur = P;
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      if (ME->getBase() != Cur)
        return false;
      const auto *Method = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
      if (!Method || !Method->getIdentifier())
        return false;
      return isFutureWait(qualifiedName(Method->getParent()),
                          Method->getName());
    }
    if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(P)) {
      if (!DM->getMember().isIdentifier())
        return false;
      // A future in a template: any configured wait member.
      return FutureWaitMembers.count(
          DM->getMember().getAsIdentifierInfo()->getName());
    }
    if (isa<CompoundStmt>(P) || isa<CStyleCastExpr>(P))
      return false;
    if (const auto *UO = dyn_cast<UnaryOperator>(P))
      return UO->getOpcode() == UO_AddrOf;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P))
      if (OC->isAssignmentOp() && OC->getArg(0) == Cur)
        return false; // overwritten
    return true;      // passed, moved, returned, stored: someone else's now
  }
  return true;
}

} // namespace leaklib
} // namespace clang
