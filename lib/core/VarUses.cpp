//===--- VarUses.cpp - leak-tidy -----------------------------------------===//
#include "lib/core/VarUses.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/NameMatcher.h"
#include "lib/core/ParentIndex.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"

namespace clang {
namespace leaklib {

/// The object an expression designates: through parens, casts, temporaries,
/// `&`/`*` and std::move.
static const Expr *strip(const Expr *E) {
  return ignoreTransparent(E, PeelTemporaries | PeelExplicitCasts |
                                  PeelMoves | PeelAddressOf);
}

bool refersTo(const Expr *E, const ValueDecl *V) {
  E = strip(E);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl() == V;
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl() == V;
  return false;
}

bool capturesVar(const LambdaExpr *Lambda, const ValueDecl *V, bool *ByRef) {
  for (const LambdaCapture &C : Lambda->captures()) {
    if (C.capturesVariable() && C.getCapturedVar() == V) {
      if (ByRef)
        *ByRef = C.getCaptureKind() == LCK_ByRef;
      return true;
    }
  }
  return false;
}

llvm::StringRef calleeName(const CallExpr *Call) {
  if (!Call)
    return "";
  if (const FunctionDecl *FD = Call->getDirectCallee())
    if (const IdentifierInfo *II = FD->getIdentifier())
      return II->getName();
  return "";
}

static bool isStdMoveLike(const CallExpr *CE) {
  if (CE->getNumArgs() != 1)
    return false;
  if (CE->isCallToStdMove())
    return true;
  llvm::StringRef N = calleeName(CE);
  return N == "forward" || N == "move";
}

VarUse classifyUse(const Stmt *S, const ValueDecl *V, ParentMap &PM) {
  VarUse U;
  if (!S || !V)
    return U;

  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    bool ByRef = false;
    if (capturesVar(L, V, &ByRef)) {
      U.K = VarUse::Captured;
      U.CaptureByRef = ByRef;
    }
    return U;
  }

  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    if (refersTo(MC->getImplicitObjectArgument(), V)) {
      U.K = VarUse::MemberCall;
      U.Call = MC;
      U.Method = MC->getMethodDecl();
      U.Callee = U.Method;
      return U;
    }
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    // v = other (move/copy assignment into v), or v.operator()(...)
    if (OC->getNumArgs() >= 1 && refersTo(OC->getArg(0), V)) {
      if (OC->isAssignmentOp()) {
        U.K = VarUse::Overwritten;
        U.Call = OC;
        return U;
      }
      U.K = VarUse::MemberCall;
      U.Call = OC;
      U.Method = dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee());
      U.Callee = OC->getDirectCallee();
      return U;
    }
  }
  if (const auto *CE = dyn_cast<CallExpr>(S)) {
    if (isStdMoveLike(CE) && refersTo(CE->getArg(0), V)) {
      U.K = VarUse::Moved;
      return U;
    }
    unsigned First = isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
    for (unsigned I = First, N = CE->getNumArgs(); I < N; ++I) {
      const Expr *A = CE->getArg(I);
      if (!refersTo(A, V))
        continue;
      U.K = VarUse::Argument;
      U.Call = CE;
      U.Callee = CE->getDirectCallee();
      U.ArgIndex = I - First;
      const Expr *AI = A->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(AI))
        U.ByReference = UO->getOpcode() == UO_AddrOf;
      if (U.Callee && U.ArgIndex < U.Callee->getNumParams()) {
        QualType PT = U.Callee->getParamDecl(U.ArgIndex)->getType();
        if (PT->isReferenceType() &&
            (!PT->getPointeeType().isConstQualified() ||
             PT->isRValueReferenceType()))
          U.ByReference = true;
        if (PT->isPointerType() && !PT->getPointeeType().isConstQualified())
          U.ByReference = true;
      } else if (!U.Callee) {
        U.ByReference = true; // unknown callee: assume it may keep it
      }
      return U;
    }
    return U;
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(S)) {
    for (const Expr *A : CCE->arguments())
      if (refersTo(A, V)) {
        // A copy or move of v into the new object.
        U.K = VarUse::StoredAway;
        return U;
      }
    return U;
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    if (RS->getRetValue() && refersTo(RS->getRetValue(), V))
      U.K = VarUse::Returned;
    return U;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->isAssignmentOp()) {
      if (refersTo(BO->getLHS(), V) &&
          isa<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts())) {
        U.K = VarUse::Overwritten;
        return U;
      }
      if (refersTo(BO->getRHS(), V)) {
        U.K = VarUse::StoredAway;
        return U;
      }
    }
    return U;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->getOpcode() == UO_AddrOf && refersTo(UO->getSubExpr(), V)) {
      // Address taken: an argument if the parent is a call (handled there).
      const Stmt *P =
          PM.getParentIgnoreParenImpCasts(const_cast<UnaryOperator *>(UO));
      if (isa_and_nonnull<CallExpr>(P))
        return U;
      U.K = VarUse::AddressTaken;
      U.ByReference = true;
    }
    return U;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (VD != V && VD->getInit() && refersTo(VD->getInit(), V)) {
          U.K = VarUse::StoredAway;
          // A reference bound to v is an alias: it may be joined through it.
          return U;
        }
    return U;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (DRE->getDecl() == V)
      U.K = VarUse::Read;
    return U;
  }
  return U;
}

//===-- The use-site decoder --------------------------------------------===//

const Stmt *UseParents::parent(const Stmt *S,
                               const ValueDecl **Initializes) const {
  *Initializes = nullptr;
  if (!S)
    return nullptr;
  if (PM) {
    const Stmt *P = PM->getParent(S);
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(P))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit() == S)
          *Initializes = VD;
    return P;
  }
  if (!PI)
    return nullptr;
  llvm::ArrayRef<DynTypedNode> Ps = PI->parents(*S);
  if (Ps.empty())
    return nullptr;
  if (const auto *St = Ps[0].get<Stmt>())
    return St;
  if (const auto *VD = Ps[0].get<VarDecl>()) {
    if (VD->getInit() == S)
      *Initializes = VD;
    llvm::ArrayRef<DynTypedNode> DPs = PI->parents(*VD);
    return DPs.empty() ? nullptr : DPs[0].get<Stmt>();
  }
  if (const auto *CI = Ps[0].get<CXXCtorInitializer>())
    *Initializes = CI->getMember();
  else if (const auto *FD = Ps[0].get<FieldDecl>())
    *Initializes = FD;
  else if (isLambdaPart(Ps[0].get<Decl>()))
    return lambdaAbove(Ps[0]);
  return nullptr;
}

/// The call operator of a lambda or its class: the index reaches a lambda's
/// body through them, ParentMap directly from the LambdaExpr.
bool UseParents::isLambdaPart(const Decl *D) {
  if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(D))
    return MD->getParent()->isLambda();
  const auto *RD = dyn_cast_or_null<CXXRecordDecl>(D);
  return RD && RD->isLambda();
}

const Stmt *UseParents::lambdaAbove(DynTypedNode N) const {
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    llvm::ArrayRef<DynTypedNode> Ps = PI->parents(N);
    if (Ps.empty())
      return nullptr;
    if (const auto *L = Ps[0].get<LambdaExpr>())
      return L;
    if (!isLambdaPart(Ps[0].get<Decl>()))
      return nullptr;
    N = Ps[0];
  }
  return nullptr;
}

llvm::StringRef Use::name() const {
  const FunctionDecl *FD = Method ? Method : Callee;
  if (FD && FD->getIdentifier())
    return FD->getName();
  return "";
}

bool useMatches(const NameMatcher &Names, const Use &U) {
  const FunctionDecl *FD = U.Method ? U.Method : U.Callee;
  return FD && Names.matches(FD);
}

bool isInsertMethod(const CXXMethodDecl *Method) {
  if (!Method || !Method->getIdentifier())
    return false;
  static const llvm::StringRef Inserts[] = {
      "push_back",   "push_front",   "emplace_back", "emplace_front",
      "emplace",     "emplace_hint", "insert",       "insert_or_assign",
      "try_emplace", "push",         "append",       "prepend"};
  return llvm::is_contained(Inserts, Method->getName());
}

namespace {

/// The variable or field an object built by \p E initialises, climbing
/// through temporaries and casts.
const ValueDecl *initializedBy(const Expr *E, const UseParents &P) {
  const ValueDecl *Into = nullptr;
  const Stmt *Par = P.parent(E, &Into);
  while (!Into && Par &&
         (isa<ImplicitCastExpr>(Par) || isa<ParenExpr>(Par) ||
          isa<MaterializeTemporaryExpr>(Par) ||
          isa<CXXBindTemporaryExpr>(Par) || isa<ExprWithCleanups>(Par) ||
          isa<CXXFunctionalCastExpr>(Par)))
    Par = P.parent(Par, &Into);
  return Into;
}

/// The declaration an expression names (a variable, field, parameter).
const ValueDecl *namedDecl(const Expr *E) {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

void setTarget(Use &U, const ValueDecl *D) {
  U.Into = D;
  U.Target = Use::ToUnknown;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(D)) {
    U.Target = VD->hasLocalStorage() ? Use::ToLocal : Use::ToGlobal;
    U.Alias = VD->getType()->isReferenceType();
  } else if (isa_and_nonnull<FieldDecl>(D)) {
    U.Target = Use::ToField;
  }
}

/// Where the left side \p LHS of an assignment stores.
void setTargetOf(Use &U, const Expr *LHS) {
  LHS = LHS->IgnoreParenImpCasts();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(LHS);
      OC && OC->getOperator() == OO_Subscript) {
    U.Target = Use::ToContainer;
    U.Into = namedDecl(OC->getArg(0));
    return;
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(LHS)) {
    U.Target = Use::ToContainer;
    U.Into = namedDecl(AS->getBase());
    return;
  }
  if (isa<DeclRefExpr>(LHS) || isa<MemberExpr>(LHS)) {
    setTarget(U, namedDecl(LHS));
    return;
  }
  U.Target = Use::ToUnknown; // through a pointer, a call's result, ...
}

Use::PassKind passKind(const FunctionDecl *FD, unsigned Param) {
  if (!FD)
    return Use::UnknownCallee;
  if (Param >= FD->getNumParams())
    return FD->isVariadic() ? Use::Variadic : Use::ByValue;
  QualType T = FD->getParamDecl(Param)->getType();
  if (T->isRValueReferenceType())
    return Use::ByRvalueRef;
  if (T->isLValueReferenceType())
    return T->getPointeeType().isConstQualified() ? Use::ByConstRef
                                                  : Use::ByRef;
  if (T->isPointerType())
    return T->getPointeeType().isConstQualified() ? Use::ByConstPointer
                                                  : Use::ByPointer;
  return Use::ByValue;
}

void setArgument(Use &U, const FunctionDecl *Callee, unsigned Index,
                 unsigned Param) {
  U.K = Use::Argument;
  U.Callee = Callee;
  U.ArgIndex = Index;
  U.Pass = passKind(Callee, Param);
}

/// One step up through a node that keeps "the value": true if \p Par is
/// such a node (and records what it was).
bool climbs(const Stmt *Par, const Expr *Top, Use &U) {
  if (isa<ParenExpr>(Par) || isa<ImplicitCastExpr>(Par) ||
      isa<MaterializeTemporaryExpr>(Par) || isa<CXXBindTemporaryExpr>(Par) ||
      isa<FullExpr>(Par) || isa<CXXStdInitializerListExpr>(Par))
    return true;
  if (isa<ExplicitCastExpr>(Par)) {
    U.Cast = true;
    return true;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(Par)) {
    if (UO->getOpcode() == UO_AddrOf)
      U.AddressOf = true;
    else if (UO->getOpcode() == UO_Deref)
      U.Deref = true;
    else
      return false;
    return true;
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Par)) {
    if (AS->getBase() != Top)
      return false;
    U.Deref = true;
    return true;
  }
  if (const auto *CE = dyn_cast<CallExpr>(Par)) {
    if (!isMoveLike(CE) || CE->getArg(0) != Top)
      return false;
    U.Moved = true;
    return true;
  }
  if (const auto *CCE = dyn_cast<CXXConstructExpr>(Par)) {
    const CXXConstructorDecl *Ctor = CCE->getConstructor();
    if (!Ctor || !Ctor->isCopyOrMoveConstructor() || CCE->getNumArgs() < 1 ||
        CCE->getArg(0) != Top)
      return false;
    (Ctor->isMoveConstructor() ? U.Moved : U.Copied) = true;
    return true;
  }
  if (isa<InitListExpr>(Par)) {
    U.InAggregate = true;
    return true;
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(Par))
    return CO->getCond() != Top; // c ? v : w -- the value flows on
  if (const auto *BO = dyn_cast<BinaryOperator>(Par))
    return BO->getOpcode() == BO_Comma && BO->getRHS() == Top;
  return false;
}

/// Classifies \p OC, an overloaded operator call that has \p Top as
/// argument \p I.
void decodeOperator(const CXXOperatorCallExpr *OC, unsigned I, Use &U) {
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(OC->getDirectCallee());
  OverloadedOperatorKind Op = OC->getOperator();
  U.Call = OC;
  if (OC->isComparisonOp() || Op == OO_Exclaim || Op == OO_AmpAmp ||
      Op == OO_PipePipe) {
    U.K = Use::Test;
    return;
  }
  if (MD && I == 0) {
    if (OC->isAssignmentOp()) {
      U.K = Use::Overwritten;
      return;
    }
    U.K = Op == OO_Call ? Use::Invoked : Use::MemberCall;
    U.Method = MD;
    U.Callee = MD;
    return;
  }
  if (OC->isAssignmentOp() && I == 1) {
    U.K = Use::Stored;
    setTargetOf(U, OC->getArg(0));
    U.Callee = OC->getDirectCallee();
    return;
  }
  const FunctionDecl *FD = OC->getDirectCallee();
  unsigned Param = MD ? I - 1 : I;
  setArgument(U, FD, MD ? I - 1 : I, Param);
}

/// Classifies a plain call (or member call) with \p Top among its
/// arguments or as its callee.
void decodeCall(const CallExpr *CE, const Expr *Top, Use &U) {
  U.Call = CE;
  if (CE->getCallee() == Top) {
    U.K = Use::Invoked;
    return;
  }
  unsigned I = 0;
  for (unsigned N = CE->getNumArgs(); I < N && CE->getArg(I) != Top; ++I)
    ;
  if (I == CE->getNumArgs()) {
    U.K = Use::Read;
    return;
  }
  setArgument(U, CE->getDirectCallee(), I, I);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
    if (isInsertMethod(MC->getMethodDecl())) {
      U.K = Use::Stored;
      U.Method = MC->getMethodDecl();
      U.Target = Use::ToContainer;
      U.Into = namedDecl(MC->getImplicitObjectArgument());
    }
}

/// Classifies the node \p Par that gives \p Top its meaning.
void decodeUser(const Stmt *Par, const Expr *Top, const UseParents &P, Use &U) {
  U.K = Use::Read;
  if (isa<ReturnStmt>(Par) || isa<CoreturnStmt>(Par)) {
    U.K = Use::Returned;
  } else if (const auto *L = dyn_cast<LambdaExpr>(Par)) {
    U.K = Use::Captured;
    U.Lambda = L;
    auto Init = L->capture_init_begin();
    for (const LambdaCapture &C : L->captures())
      if (*Init++ == Top)
        U.CaptureByRef = C.getCaptureKind() == LCK_ByRef;
  } else if (isa<CXXDeleteExpr>(Par)) {
    U.K = Use::Deleted;
  } else if (isa<CXXThrowExpr>(Par)) {
    U.K = Use::Thrown;
  } else if (isa<IfStmt>(Par) || isa<WhileStmt>(Par) || isa<DoStmt>(Par) ||
             isa<ForStmt>(Par) || isa<SwitchStmt>(Par)) {
    const Stmt *Cond = isa<IfStmt>(Par)      ? cast<IfStmt>(Par)->getCond()
                       : isa<WhileStmt>(Par) ? cast<WhileStmt>(Par)->getCond()
                       : isa<DoStmt>(Par)    ? cast<DoStmt>(Par)->getCond()
                       : isa<ForStmt>(Par)   ? cast<ForStmt>(Par)->getCond()
                                             : cast<SwitchStmt>(Par)->getCond();
    if (Cond == Top)
      U.K = Use::Test;
  } else if (const auto *CO = dyn_cast<ConditionalOperator>(Par)) {
    if (CO->getCond() == Top)
      U.K = Use::Test;
  } else if (const auto *UO = dyn_cast<UnaryOperator>(Par)) {
    if (UO->getOpcode() == UO_LNot)
      U.K = Use::Test;
    else if (UO->isIncrementDecrementOp())
      U.K = Use::Overwritten;
  } else if (const auto *BO = dyn_cast<BinaryOperator>(Par)) {
    if (BO->isAssignmentOp() || BO->isCompoundAssignmentOp()) {
      if (BO->getLHS() == Top) {
        U.K = Use::Overwritten;
      } else if (BO->getOpcode() == BO_Assign) {
        U.K = Use::Stored;
        setTargetOf(U, BO->getLHS());
      }
    } else if (BO->isComparisonOp() || BO->isLogicalOp()) {
      U.K = Use::Test;
    }
  } else if (const auto *ME = dyn_cast<MemberExpr>(Par)) {
    if (ME->getBase() != Top)
      return;
    const ValueDecl *Unused = nullptr;
    const Stmt *Up = P.parent(ME, &Unused);
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Up);
    if (MC && MC->getCallee() == ME) {
      U.K = Use::MemberCall;
      U.Call = MC;
      U.Method = MC->getMethodDecl();
      U.Callee = U.Method;
    } else {
      U.K = Use::MemberAccess;
      U.Member = ME->getMemberDecl();
    }
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Par)) {
    for (unsigned I = 0, N = OC->getNumArgs(); I < N; ++I)
      if (OC->getArg(I) == Top)
        return decodeOperator(OC, I, U);
  } else if (const auto *CE = dyn_cast<CallExpr>(Par)) {
    decodeCall(CE, Top, U);
  } else if (const auto *CCE = dyn_cast<CXXConstructExpr>(Par)) {
    for (unsigned I = 0, N = CCE->getNumArgs(); I < N; ++I)
      if (CCE->getArg(I) == Top) {
        setArgument(U, CCE->getConstructor(), I, I);
        U.Construct = CCE;
        U.Into = initializedBy(CCE, P);
      }
  }
}

} // namespace

Use decodeUse(const Expr *Ref, const UseParents &P) {
  Use U;
  if (!Ref)
    return U;
  U.Ref = Ref;
  const Expr *Top = Ref;
  const ValueDecl *Into = nullptr;
  const Stmt *Par = P.parent(Top, &Into);
  for (unsigned Depth = 0; Par && !Into && Depth < 64; ++Depth) {
    if (!climbs(Par, Top, U))
      break;
    Top = cast<Expr>(Par);
    Par = P.parent(Top, &Into);
  }
  U.Top = Top;
  U.User = Par;
  if (Into) { // the initializer of a variable or field
    U.K = Use::Stored;
    setTarget(U, Into);
    return U;
  }
  if (!Par) {
    U.K = Use::Read;
    return U;
  }
  decodeUser(Par, Top, P, U);
  return U;
}

const LambdaExpr *enclosingCapture(const DeclRefExpr *Ref,
                                   const UseParents &P) {
  if (!Ref || !Ref->refersToEnclosingVariableOrCapture())
    return nullptr;
  const ValueDecl *Unused = nullptr;
  const Stmt *S = P.parent(Ref, &Unused);
  for (unsigned Depth = 0; S && Depth < 256; ++Depth) {
    if (const auto *L = dyn_cast<LambdaExpr>(S))
      return L;
    S = P.parent(S, &Unused);
  }
  return nullptr;
}

} // namespace leaklib
} // namespace clang
