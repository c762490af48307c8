//===--- ContainerUseClassify.cpp - leak-tidy -----------------------------===//
//
// What one reference to a tracked container does: grows it (with which
// keys), shrinks it, lets it escape (a mutable alias, a non-const reference
// argument, a pointer handed on), or compares its size with a bound. Each
// kind of using node has its own function; classifyUse climbs to the node
// and dispatches.
//
//===----------------------------------------------------------------------===//
#include "lib/container/ContainerUseAnalysis.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

namespace clang {
namespace leaklib {
namespace containeruse {

bool isNonConstRefOrPointer(QualType T) {
  if (T.isNull())
    return true;
  if (T->isReferenceType())
    return !T.getNonReferenceType().isConstQualified();
  if (T->isPointerType())
    return !T->getPointeeType().isConstQualified();
  return false;
}

const Stmt *Analysis::parentStmt(const Expr *E, const Decl **ParentDecl,
                                 bool InTemplate) {
  if (ParentDecl)
    *ParentDecl = nullptr;
  llvm::ArrayRef<DynTypedNode> Parents = ParentIndex::get(Ctx).parents(*E);
  if (Parents.empty())
    return nullptr;
  // A non-dependent expression of a template is shared by the pattern and
  // its instantiations: pick the parent of the context asked for.
  unsigned Pick = 0;
  if (Parents.size() > 1)
    for (unsigned I = 0; I < Parents.size(); ++I)
      if (const auto *PE = Parents[I].get<Expr>())
        if (PE->isInstantiationDependent() == InTemplate) {
          Pick = I;
          break;
        }
  if (ParentDecl)
    *ParentDecl = Parents[Pick].get<Decl>();
  return Parents[Pick].get<Stmt>();
}

static bool isSizeQuery(llvm::StringRef N) {
  return N == "size" || N == "length" || N == "count" || N == "Count" ||
         N == "g_hash_table_size" || N == "g_tree_nnodes";
}

static bool isZeroOrOne(const Expr *E, ASTContext &Ctx) {
  Expr::EvalResult R;
  if (E->isValueDependent() || !E->EvaluateAsInt(R, Ctx))
    return false;
  return R.Val.getInt() == 0 || R.Val.getInt() == 1;
}

/// The comparison of the value of call \p C (a size query) with a bound
/// (anything but 0 or 1, which only test for emptiness), or null.
const Expr *Analysis::boundComparison(const Expr *C) {
  const Expr *Cur = C;
  for (unsigned I = 0; I < 4; ++I) {
    llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(*Cur);
    if (Ps.empty())
      return nullptr;
    const auto *P = Ps[0].get<Expr>();
    if (!P)
      return nullptr;
    if (isa<ImplicitCastExpr, ParenExpr>(P)) {
      Cur = P;
      continue;
    }
    const Expr *Other = nullptr;
    if (const auto *B = dyn_cast<BinaryOperator>(P)) {
      if (!B->isComparisonOp())
        return nullptr;
      Other = B->getLHS()->IgnoreParenImpCasts() == Cur->IgnoreParenImpCasts()
                  ? B->getRHS()
                  : B->getLHS();
    } else if (const auto *O = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (!O->isComparisonOp() || O->getNumArgs() != 2)
        return nullptr;
      Other = O->getArg(0)->IgnoreParenImpCasts() == Cur->IgnoreParenImpCasts()
                  ? O->getArg(1)
                  : O->getArg(0);
    } else {
      return nullptr;
    }
    return isZeroOrOne(Other->IgnoreParenImpCasts(), Ctx) ? nullptr : P;
  }
  return nullptr;
}

/// A size query \p Query of \p E compared with a bound: a branch condition
/// (an `if`, a loop, `?:`, `&&`, `||`; through `!` and casts) is kept to be
/// matched with the grows it guards; any other use of the comparison
/// (returned by a predicate, stored in a flag) may guard anything.
void Analysis::noteSizeQuery(Entity &E, const Expr *Query, const Reference &R) {
  const Expr *Cmp = boundComparison(Query);
  if (!Cmp || R.Ctx.Dependent)
    return;
  const Expr *Cur = Cmp;
  for (unsigned Guard = 0; Guard < 16; ++Guard) {
    const Stmt *P = parentStmt(Cur);
    const auto *U = dyn_cast_or_null<UnaryOperator>(P);
    const auto *B = dyn_cast_or_null<BinaryOperator>(P);
    if (isa_and_nonnull<ParenExpr, CastExpr>(P) ||
        (U && U->getOpcode() == UO_LNot) || (B && B->isLogicalOp())) {
      Cur = cast<Expr>(P);
      continue;
    }
    const Expr *Cond = nullptr;
    if (const auto *If = dyn_cast_or_null<IfStmt>(P))
      Cond = If->getCond();
    else if (const auto *CO = dyn_cast_or_null<AbstractConditionalOperator>(P))
      Cond = CO->getCond();
    else if (P && isLoop(P))
      Cond = loopCondition(P);
    if (!Cond || Cond != Cur) {
      E.SizeBounded = true; // a use we do not follow
      return;
    }
    break;
  }
  E.SizeTests.push_back({Cmp, R.Ctx});
}

const Expr *keyPart(const Expr *A) {
  const Expr *S = ignoreTransparent(A);
  for (unsigned I = 0; I < 4; ++I) {
    const Expr *Next = nullptr;
    if (const auto *IL = dyn_cast<InitListExpr>(S)) {
      if (IL->getNumInits() >= 1)
        Next = IL->getInit(0);
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
      const CXXRecordDecl *RD = CE->getConstructor()->getParent();
      // The first element of a pair/tuple, or a conversion or copy of one.
      bool PairLike = CE->getNumArgs() >= 2 && RD->getIdentifier() &&
                      (RD->getName() == "pair" || RD->getName() == "QPair" ||
                       RD->getName() == "tuple");
      if (PairLike || CE->getNumArgs() == 1)
        Next = CE->getArg(0);
    } else if (const auto *C = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *FD = C->getDirectCallee();
      if (FD && FD->getIdentifier() && C->getNumArgs() >= 1 &&
          (FD->getName() == "make_pair" || FD->getName() == "qMakePair" ||
           FD->getName() == "forward_as_tuple" ||
           FD->getName() == "make_tuple"))
        Next = C->getArg(0);
    }
    if (!Next)
      return A;
    A = Next;
    S = ignoreTransparent(Next);
  }
  return A;
}

/// Whether \p A, the first argument of a positional insert, is the position
/// (an iterator, or an index into a sequence) rather than the value.
static bool isInsertPosition(const Expr *A, const ContainerKind &K) {
  QualType T = A->getType();
  if (const auto *RD = T->getAsCXXRecordDecl())
    if (RD->getName().contains("iterator") ||
        RD->getName().contains("Iterator"))
      return true;
  return T->isIntegerType() && !K.Associative; // QList::insert(i, value)
}

void Analysis::addGrow(Entity &E, const Expr *Call, llvm::StringRef Op,
                       llvm::ArrayRef<const Expr *> Args, const Reference &R) {
  if (R.Ctx.Dependent)
    return;
  GrowSite G;
  G.Call = Call;
  G.Operation = Op.str();
  G.Keyed = E.Kind.Associative;
  G.Ctx = R.Ctx;
  for (unsigned I = 0; I < Args.size(); ++I) {
    const Expr *A = Args[I];
    if (!A || isa<CXXDefaultArgExpr>(A))
      continue;
    // Skip an insertion position: an iterator or a call on the container.
    if (I == 0 && ContainerModel::takesPositionFirst(Op) && Args.size() > 1 &&
        isInsertPosition(A, E.Kind))
      continue;
    if (E.Kind.Associative) {
      if (const auto *RD = A->getType()->getAsCXXRecordDecl())
        if (RD->getName() == "piecewise_construct_t")
          continue;
      G.Keys.push_back(E.Kind.SubscriptGrows ? keyPart(A) : A); // maps
      break; // the key decides; the value does not grow a map
    }
    G.Keys.push_back(A);
  }
  E.Grows.push_back(std::move(G));
}

/// Whether shrinking call \p Name empties the container as a whole (and so
/// the inner containers of a map of containers).
static bool emptiesWhole(llvm::StringRef Name) {
  return Name == "clear" || Name == "swap" || Name == "assign" ||
         Name == "reset" || Name == "move" || Name == "exchange" ||
         Name == "forward" || Name.ends_with("destroy") ||
         Name.ends_with("unref") || Name.ends_with("remove_all");
}

/// A size query of a project's own C container API, by its name:
/// `list_len`, `g_list_length`, `rb_size`, `tree_count`, `tree_nnodes`.
static bool isCApiSizeQuery(llvm::StringRef N) {
  return N.ends_with("_len") || N.ends_with("_length") ||
         N.ends_with("_size") || N.ends_with("_count") ||
         N.ends_with("_nnodes");
}

/// Whether the value of \p E is thrown away (an expression statement).
static bool discarded(const Expr *E, ASTContext &Ctx) {
  const Expr *Cur = E;
  for (unsigned Guard = 0; Guard < 8; ++Guard) {
    llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(*Cur);
    if (Ps.empty())
      return false;
    if (const auto *P = Ps[0].get<Expr>()) {
      if (const auto *C = dyn_cast<CStyleCastExpr>(P);
          C && C->getType()->isVoidType())
        return true;
      if (!isa<ExprWithCleanups, ImplicitCastExpr, MaterializeTemporaryExpr,
               CXXBindTemporaryExpr, ParenExpr>(P))
        return false;
      Cur = P;
      continue;
    }
    const auto *S = Ps[0].get<Stmt>();
    return isa_and_nonnull<CompoundStmt>(S);
  }
  return false;
}

// --- one use -----------------------------------------------------------------

/// A method of the container named \p Name called with \p Args.
void Analysis::methodUse(UseSite &S, llvm::StringRef Name, const Expr *Call,
                         llvm::ArrayRef<const Expr *> Args) {
  if (S.E.Inner >= 0)
    elementUse(S, Name, Call);
  switch (Model.methodOp(S.E.Kind, Name)) {
  case ContainerOp::Grow: {
    // A const overload (QHash's const operator[]) cannot grow.
    const FunctionDecl *Callee = nullptr;
    if (const auto *CE = dyn_cast_or_null<CallExpr>(Call))
      Callee = CE->getDirectCallee();
    if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Callee);
        MD && MD->isConst())
      return;
    if (Call)
      addGrow(S.E, Call, Name, Args, S.R);
    return;
  }
  case ContainerOp::Shrink:
    S.E.Shrunk = true;
    S.E.Emptied |= emptiesWhole(Name);
    return;
  case ContainerOp::Neutral:
    if (isSizeQuery(Name) && Args.empty() && Call)
      noteSizeQuery(S.E, Call, S.R);
    return;
  }
}

/// A use of a map of containers \p S.E that may reach its inner containers:
/// `C[K]` and `C.at(K)` are uses of the inner level; an iterator from
/// `find` is followed to `->second`; any other non-const iterator or
/// reference handed out makes the inner level unknown.
void Analysis::elementUse(UseSite &S, llvm::StringRef Name, const Expr *Call) {
  Entity &In = Entities[S.E.Inner];
  if (!Call || In.Escaped || S.R.Ctx.Dependent)
    return;
  if (Name == "operator[]" || Name == "at") {
    In.Refs.push_back({Call, S.R.Ctx});
    return;
  }
  if (Name == "find" || Name == "lower_bound" || Name == "upper_bound") {
    iteratorUse(In, Call, S.R);
    return;
  }
  QualType T = Call->getType();
  if (T->isVoidType() || T->isIntegerType() || T->isBooleanType() ||
      Name.ends_with("end") || Name == "constEnd" || discarded(Call, Ctx))
    return; // end iterators are compared, not used
  if (const auto *RD = T->getAsCXXRecordDecl())
    if (RD->getName().contains_insensitive("const"))
      return; // a const_iterator
  if (T->isReferenceType() && T.getNonReferenceType().isConstQualified())
    return;
  In.Escaped = true; // begin(), insert()'s iterator, ...
}

/// An iterator \p It of a map of containers: `It->second` is a use of the
/// inner container; a comparison reads; stored in a local, that local's
/// uses are followed; anything else makes the inner level unknown.
void Analysis::iteratorUse(Entity &In, const Expr *It, const Reference &R) {
  const Expr *Cur = It;
  for (unsigned Guard = 0; Guard < 8; ++Guard) {
    const Decl *PD = nullptr;
    const Stmt *P = parentStmt(Cur, &PD);
    if (const auto *V = dyn_cast_or_null<VarDecl>(PD)) {
      if (!V->getType()->isReferenceType() && V->isLocalVarDecl())
        return iteratorVariableUse(In, V, R);
      break;
    }
    if (isa_and_nonnull<ImplicitCastExpr, MaterializeTemporaryExpr,
                        CXXBindTemporaryExpr, ParenExpr, ExprWithCleanups>(P) ||
        (isa_and_nonnull<CXXConstructExpr>(P) &&
         cast<CXXConstructExpr>(P)->getNumArgs() == 1)) {
      Cur = cast<Expr>(P);
      continue;
    }
    const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
    if (OC && OC->isComparisonOp())
      return;
    if (OC && OC->getOperator() == OO_Arrow) {
      const auto *ME = dyn_cast_or_null<MemberExpr>(parentStmt(OC));
      if (ME && ME->getMemberDecl()->getName() == "second")
        In.Refs.push_back({ME, R.Ctx});
      else if (!ME || ME->getMemberDecl()->getName() != "first")
        In.Escaped = true;
      return;
    }
    if (const auto *C = dyn_cast_or_null<CXXMemberCallExpr>(P))
      if (const auto *MD = C->getMethodDecl();
          MD && MD->getIdentifier() && MD->getName() == "erase")
        return; // `C.erase(It)`: the outer level's shrink
    break;
  }
  In.Escaped = true;
}

/// `auto It = C.find(K);`: each use of It in its function.
void Analysis::iteratorVariableUse(Entity &In, const VarDecl *V,
                                   const Reference &R) {
  const FunctionDecl *F = R.Ctx.Fn;
  if (!F || !F->getBody() || R.Ctx.Lambda) {
    In.Escaped = true;
    return;
  }
  forEachStmt(
      F->getBody(),
      [&](const Stmt *St) {
        const auto *DRE = dyn_cast<DeclRefExpr>(St);
        if (DRE && DRE->getDecl() == V)
          iteratorUse(In, DRE, R);
        return In.Escaped ? Walk::Stop : Walk::Continue;
      },
      LambdaPolicy::Enter);
}

/// `C.method(...)` or `P->method(...)`.
void Analysis::memberUse(UseSite &S, const MemberExpr *ME) {
  if (ME->getBase() != S.Cur || ME->isArrow() != S.ViaPointer)
    return; // e.g. `Cache.Field` of a user container: a read
  const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
  if (!MD)
    return;
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(
      parentStmt(ME, nullptr, S.R.Ctx.Dependent));
  std::vector<const Expr *> Args;
  if (Call)
    Args.assign(Call->arg_begin(), Call->arg_end());
  methodUse(S, MD->getNameAsString(), Call, Args);
}

/// `&C` (or `&Head` of a list held through its head pointer) handed to a
/// function of the project's own C container API; false otherwise.
bool Analysis::userCApiCall(UseSite &S, const UnaryOperator *U) {
  if (!S.E.Kind.CTable || S.E.Kind.Family != ContainerFamily::User)
    return false;
  const Expr *Cur = U;
  const Stmt *P = parentStmt(U);
  while (isa_and_nonnull<ImplicitCastExpr, ParenExpr>(P)) {
    Cur = cast<Expr>(P);
    P = parentStmt(Cur);
  }
  const auto *C = dyn_cast_or_null<CallExpr>(P);
  const FunctionDecl *FD = C ? C->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier())
    return false;
  if (isCApiSizeQuery(FD->getName())) {
    noteSizeQuery(S.E, C, S.R);
    return true;
  }
  const CFunctionRole *Role = Model.cFunctionRole(FD->getName());
  if (!Role || !Role->UserApi)
    return false;
  for (unsigned I = 0; I < C->getNumArgs(); ++I)
    if (C->getArg(I) == Cur) {
      UseSite Arg{S.E, S.R, U, Cur, C, /*ViaPointer=*/true, S.ConstView};
      return cTableFunctionUse(Arg, C, FD, I);
    }
  return false;
}

/// `*P` (the container behind a pointer) and `&C` (followed once).
void Analysis::unaryUse(UseSite &S, const UnaryOperator *U) {
  if (U->getOpcode() == UO_Deref && S.ViaPointer) {
    classifyUse(S.E, U, /*ViaPointer=*/false, S.R);
    return;
  }
  if (U->getOpcode() == UO_AddrOf && userCApiCall(S, U))
    return;
  if (U->getOpcode() != UO_AddrOf || S.ViaPointer)
    return; // !p, p++, ...: reads
  const Decl *PD = nullptr;
  const Stmt *P = parentStmt(U, &PD);
  while (isa_and_nonnull<ImplicitCastExpr, ParenExpr>(P)) {
    if (const auto *IC = dyn_cast<ImplicitCastExpr>(P))
      if (IC->getType()->isPointerType() &&
          IC->getType()->getPointeeType().isConstQualified())
        return; // a pointer to const
    P = parentStmt(cast<Expr>(P), &PD);
  }
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(P); ME && ME->isArrow()) {
    classifyUse(S.E, U, /*ViaPointer=*/true, S.R);
    return;
  }
  if (const auto *V = dyn_cast_or_null<VarDecl>(PD))
    if (!isNonConstRefOrPointer(V->getType()))
      return;
  S.E.Escaped = true;
}

/// Whether \p RHS makes a new GLib table or array.
static bool isCTableConstructor(const Expr *RHS) {
  const auto *C = dyn_cast<CallExpr>(RHS);
  const FunctionDecl *FD = C ? C->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier())
    return false;
  llvm::StringRef N = FD->getName();
  return N.starts_with("g_hash_table_new") || N.starts_with("g_tree_new") ||
         N.starts_with("g_ptr_array_new") ||
         N.starts_with("g_ptr_array_sized_new") ||
         N.starts_with("g_array_new") || N.starts_with("g_array_sized_new");
}

/// `P = ...` or `Q = P` for a container held through a pointer.
void Analysis::pointerAssignmentUse(UseSite &S, const BinaryOperator *B) {
  if (B->getOpcode() != BO_Assign || !S.ViaPointer)
    return; // comparisons and the like
  if (B->getLHS()->IgnoreParenImpCasts() != S.Cur->IgnoreParenImpCasts()) {
    S.E.Escaped = true; // copied into another pointer
    return;
  }
  const Expr *RHS = ignoreTransparent(B->getRHS());
  if (RHS->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull)) {
    S.E.Shrunk = S.E.Emptied = true; // dropped (and, we assume, freed)
    return;
  }
  if (isa<CXXNewExpr>(RHS) || isCTableConstructor(RHS))
    return;
  // A struct of the project's own C API made by a function (`Tree =
  // rb_new();`), or the new head a grow or shrink function of it returns
  // (`L = g_list_append(L, X);`: the call is classified on its own).
  if (const auto *C = dyn_cast<CallExpr>(RHS);
      C && S.E.Kind.CTable && S.E.Kind.Family == ContainerFamily::User &&
      C->getDirectCallee() && C->getDirectCallee()->getIdentifier()) {
    const CFunctionRole *Role =
        Model.cFunctionRole(C->getDirectCallee()->getName());
    if (!Role)
      return;
    const auto *Arg0 =
        C->getNumArgs()
            ? dyn_cast<DeclRefExpr>(C->getArg(0)->IgnoreParenImpCasts())
            : nullptr;
    const auto *Self = dyn_cast<DeclRefExpr>(S.Cur->IgnoreParenImpCasts());
    if (Role->UserApi && Arg0 && Self && Arg0->getDecl() == Self->getDecl())
      return;
  }
  S.E.Escaped = true; // replaced by something we do not know
}

/// An overloaded operator on the container; false when it is to be read as
/// an ordinary call (a free operator taking it as an argument).
bool Analysis::operatorUse(UseSite &S, const CXXOperatorCallExpr *OC) {
  if (OC->getNumArgs() < 1 || OC->getArg(0) != S.Cur || S.ViaPointer)
    return false;
  std::vector<const Expr *> Args(OC->arg_begin() + 1, OC->arg_end());
  switch (OC->getOperator()) {
  case OO_Subscript:
    methodUse(S, "operator[]", OC, Args);
    return true;
  case OO_Equal:
    S.E.Shrunk = S.E.Emptied = true;
    return true;
  case OO_PlusEqual:
    methodUse(S, "operator+=", OC, Args);
    return true;
  case OO_LessLess:
    methodUse(S, "operator<<", OC, Args);
    return true;
  default:
    // Another member operator (==, ...): a read.
    return isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee());
  }
}

/// A GLib table function given the table as argument \p Index; false when
/// \p FD is not one.
bool Analysis::cTableFunctionUse(UseSite &S, const CallExpr *C,
                                 const FunctionDecl *FD, unsigned Index) {
  if (const CFunctionRole *Role = Model.cFunctionRole(FD->getName())) {
    if (Role->IterInit && Index == Role->TableArg) {
      S.E.IterInits.push_back(S.R.Ctx.Fn);
      return true;
    }
    if (Index != Role->TableArg)
      return true;
    if (Role->Op == ContainerOp::Shrink) {
      S.E.Shrunk = true;
    } else if (Role->Op == ContainerOp::Grow) {
      std::vector<const Expr *> Args;
      if (Role->KeyArg >= 0 &&
          static_cast<unsigned>(Role->KeyArg) < C->getNumArgs())
        Args.push_back(C->getArg(Role->KeyArg));
      addGrow(S.E, C, FD->getName(), Args, S.R);
    }
    return true;
  }
  llvm::StringRef N = FD->getName();
  if (S.E.Kind.Family == ContainerFamily::User && isCApiSizeQuery(N)) {
    noteSizeQuery(S.E, C, S.R); // list_len(L): a read, maybe a cap
    return true;
  }
  if (N.starts_with("g_hash_table_") || N.starts_with("g_tree_") ||
      N.starts_with("g_ptr_array_") || N.starts_with("g_array_")) {
    if (isSizeQuery(N))
      noteSizeQuery(S.E, C, S.R);
    return true; // lookups, iteration, sizes
  }
  return false;
}

/// The container passed as an argument of a call.
void Analysis::argumentUse(UseSite &S, const CallExpr *C) {
  unsigned Index = 0;
  while (Index < C->getNumArgs() && C->getArg(Index) != S.Cur)
    ++Index;
  if (Index == C->getNumArgs())
    return; // the callee itself (a call through a pointer)
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD) {
    if (!S.ConstView)
      S.E.Escaped = true;
    return;
  }
  if (Model.isShrinkingFreeFunction(FD) ||
      (FD->isInStdNamespace() && FD->getIdentifier() &&
       (FD->getName() == "move" || FD->getName() == "forward"))) {
    S.E.Shrunk = true; // freed, cleared or moved out
    S.E.Emptied |= FD->getIdentifier() && emptiesWhole(FD->getName());
    return;
  }
  if (S.ViaPointer && FD->getIdentifier() && cTableFunctionUse(S, C, FD, Index))
    return;
  unsigned ParamIndex = Index;
  if (isa<CXXOperatorCallExpr>(C) && isa<CXXMethodDecl>(FD)) {
    if (Index == 0)
      return;
    ParamIndex = Index - 1;
  }
  if (ParamIndex >= FD->getNumParams()) {
    if (!S.ConstView && (S.ViaPointer || S.Cur->isGLValue()))
      S.E.Escaped = true; // variadic
    return;
  }
  QualType PT = FD->getParamDecl(ParamIndex)->getType();
  if (!S.ConstView && isNonConstRefOrPointer(PT) &&
      (PT->isReferenceType() || S.ViaPointer))
    S.E.Escaped = true;
}

/// Constructor arguments, returns, explicit casts and the nodes that may
/// hand the container on (initializer lists, conditionals, captures).
void Analysis::otherUse(UseSite &S) {
  const Stmt *P = S.P;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      if (CE->getArg(I) == S.Cur) {
        if (Ctor && I < Ctor->getNumParams() && !S.ConstView &&
            isNonConstRefOrPointer(Ctor->getParamDecl(I)->getType()))
          S.E.Escaped = true;
        return;
      }
    return;
  }
  if (isa<ReturnStmt>(P)) {
    if (S.ConstView || !(S.ViaPointer || S.Cur->isGLValue()))
      return;
    if (const FunctionDecl *A = accessorOf(S.E, S.Use, S.R))
      S.E.Accessor = A; // its callers are followed instead
    else
      S.E.Escaped = true; // handed to callers by reference or pointer
    return;
  }
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(P)) {
    // static_cast<const T &>(C) reads; anything else may hand it on.
    QualType T = Cast->getTypeAsWritten();
    bool ConstTarget = T->isReferenceType() || T->isPointerType()
                           ? !isNonConstRefOrPointer(T)
                           : true; // (void)C, or a copy
    if (!S.ConstView && !ConstTarget)
      S.E.Escaped = true;
    return;
  }
  if (isa<InitListExpr, ConditionalOperator, BinaryConditionalOperator,
          LambdaExpr, CXXStdInitializerListExpr>(P) &&
      !S.ConstView)
    S.E.Escaped = true;
  // Conditions, sizeof, discarded reads.
}

void Analysis::classifyUse(Entity &E, const Expr *Use, bool ViaPointer,
                           const Reference &R) {
  // Climb through parentheses and implicit conversions; remember a
  // conversion to const (binding a const reference, calling a const method).
  bool ConstView = false;
  const Expr *Cur = Use;
  const Decl *PD = nullptr;
  const Stmt *P = nullptr;
  for (unsigned Guard = 0; Guard < 16; ++Guard) {
    P = parentStmt(Cur, &PD, R.Ctx.Dependent);
    if (const auto *IC = dyn_cast_or_null<ImplicitCastExpr>(P)) {
      QualType T = IC->getType();
      if (T.isConstQualified() ||
          (T->isPointerType() && T->getPointeeType().isConstQualified()))
        ConstView = true;
    } else if (!isa_and_nonnull<ParenExpr>(P)) {
      break;
    }
    Cur = cast<Expr>(P);
  }
  if (const auto *V = dyn_cast_or_null<VarDecl>(PD)) {
    // The hidden range variable of a range-for reads the container; a
    // mutable loop variable reaches the inner containers of a map of them
    // (`for (auto &[T, M] : Cache) M.clear();`): not followed.
    if (V->isImplicit() && E.Inner >= 0 && !ConstView) {
      auto It = RangeLoopVars.find(Use->IgnoreParenImpCasts());
      if (It == RangeLoopVars.end() ||
          isNonConstRefOrPointer(It->second->getType()))
        Entities[E.Inner].Escaped = true;
    }
    if (!V->isImplicit() && !ConstView && isNonConstRefOrPointer(V->getType()))
      E.Escaped = true; // a mutable alias: its uses are not followed
    return;
  }
  if (PD || !P)
    return;
  UseSite S{E, R, Use, Cur, P, ViaPointer, ConstView};
  if (const auto *ME = dyn_cast<MemberExpr>(P))
    return memberUse(S, ME);
  if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(P)) {
    if (DM->getMember().isIdentifier() &&
        Model.methodOp(E.Kind, DM->getMember().getAsString()) ==
            ContainerOp::Shrink)
      E.Shrunk = true;
    return;
  }
  if (const auto *UM = dyn_cast<UnresolvedMemberExpr>(P)) {
    if (Model.methodOp(E.Kind, UM->getMemberName().getAsString()) ==
        ContainerOp::Shrink)
      E.Shrunk = true;
    return;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(P))
    return unaryUse(S, U);
  if (isa<CXXDeleteExpr>(P)) {
    E.Shrunk = E.Emptied = true;
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(P))
    return pointerAssignmentUse(S, B);
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P))
    if (operatorUse(S, OC))
      return;
  if (const auto *C = dyn_cast<CallExpr>(P))
    return argumentUse(S, C);
  otherUse(S);
}

const FunctionDecl *Analysis::accessorOf(const Entity &E, const Expr *Use,
                                         const Reference &R) const {
  const auto *V = dyn_cast<VarDecl>(E.D);
  const FunctionDecl *F = R.Ctx.Fn;
  if (!V || !F || R.Ctx.Lambda || R.Ctx.Dependent ||
      storageScope(V) != StorageKind::StaticLocal || V->getDeclContext() != F ||
      Use != R.E || !F->getReturnType()->isLValueReferenceType() ||
      isa<CXXMethodDecl>(F))
    return nullptr;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(F->getBody());
  if (!Body || Body->size() != 2)
    return nullptr;
  const auto *DS = dyn_cast<DeclStmt>(Body->body_front());
  if (!DS || !DS->isSingleDecl() || DS->getSingleDecl() != V ||
      !isa<ReturnStmt>(Body->body_back()))
    return nullptr;
  return F;
}

} // namespace containeruse
} // namespace leaklib
} // namespace clang
