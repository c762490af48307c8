//===--- SliceModel.cpp - leak-tidy --------------------------------------===//
#include "lib/slice/SliceModel.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/StorageFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang {
namespace leaklib {

namespace {

/// The single parent statement or declaration of \p S (none when the node
/// has several parents, e.g. shared between template instantiations).
DynTypedNode parentOf(const DynTypedNode &N, ASTContext &Ctx) {
  llvm::ArrayRef<DynTypedNode> Parents = ParentIndex::get(Ctx).parents(N);
  if (Parents.size() != 1)
    return DynTypedNode();
  return Parents[0];
}

bool isStdFunction(const FunctionDecl *FD, llvm::StringRef Name) {
  if (!FD || !FD->getIdentifier() || FD->getName() != Name)
    return false;
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (DC->isTranslationUnit() || DC->isExternCContext())
    return true;
  while (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
    if (!NS->isInline())
      return NS->getName() == "std" &&
             NS->getDeclContext()->getRedeclContext()->isTranslationUnit();
    DC = NS->getDeclContext()->getRedeclContext();
  }
  return false;
}

/// A C library function (global namespace or std::) called \p Name.
bool isCFunction(const FunctionDecl *FD, llvm::StringRef Name) {
  return isStdFunction(FD, Name);
}

bool isMoveLike(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  return FD && Call->getNumArgs() == 1 &&
         (isStdFunction(FD, "move") || isStdFunction(FD, "forward"));
}

/// Strips parens, casts, temporaries, copies and std::move.
const Expr *stripCopies(const Expr *E) {
  for (unsigned Depth = 0; E && Depth < 32; ++Depth) {
    E = E->IgnoreParenCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    else if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr();
    else if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BTE->getSubExpr();
    else if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
             CE && CE->getNumArgs() >= 1 && CE->getConstructor() &&
             CE->getConstructor()->isCopyOrMoveConstructor())
      E = CE->getArg(0);
    else if (const auto *Call = dyn_cast<CallExpr>(E); Call && isMoveLike(Call))
      E = Call->getArg(0);
    else
      return E;
  }
  return E;
}

/// The element type of a container family (char for the string types).
QualType elementType(QualType T, BufferFamily F, const ASTContext &Ctx) {
  switch (F) {
  case BufferFamily::QtByteArray:
    return Ctx.CharTy;
  case BufferFamily::QtString:
    return Ctx.Char16Ty;
  case BufferFamily::None:
    return QualType();
  default:
    break;
  }
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Spec->getTemplateArgs()[0].getAsType();
}

/// The type a smart pointer (or GBytes-like pointer) points to.
QualType pointeeOfOwner(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    return T->getPointeeType();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Spec->getTemplateArgs()[0].getAsType();
}

bool isIntegral(const Expr *E) {
  return E && E->getType()->isIntegralOrUnscopedEnumerationType();
}

bool isLoopStmt(const Stmt *S) {
  return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

/// The innermost loop around \p S inside its function, if any.
const Stmt *enclosingLoop(const Stmt *S, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    N = parentOf(N, Ctx);
    const Stmt *P = N.get<Stmt>();
    if (!P)
      return nullptr; // reached a declaration (the function) or ambiguity
    if (isa<LambdaExpr>(P))
      return nullptr;
    if (isLoopStmt(P))
      return P;
  }
  return nullptr;
}

/// The parent of \p E skipping parens and implicit casts.
const Stmt *usingParent(const Expr *E, ASTContext &Ctx, const Expr **Child,
                        DynTypedNode *DeclParent = nullptr) {
  DynTypedNode N = DynTypedNode::create(*E);
  const Expr *Cur = E;
  for (unsigned Depth = 0; Depth < 32; ++Depth) {
    DynTypedNode P = parentOf(N, Ctx);
    const auto *PE = P.get<Expr>();
    if (PE && (isa<ParenExpr>(PE) || isa<ImplicitCastExpr>(PE))) {
      Cur = PE;
      N = P;
      continue;
    }
    *Child = Cur;
    if (DeclParent)
      *DeclParent = P;
    return P.get<Stmt>();
  }
  *Child = Cur;
  return nullptr;
}

} // namespace

//===-- Storage ----------------------------------------------------------===//

bool StorageKinds::allows(StorageKind K) const {
  switch (K) {
  case StorageKind::Global:
    return Globals;
  case StorageKind::StaticLocal:
    return StaticLocals;
  case StorageKind::ThreadLocal:
    return ThreadLocals;
  case StorageKind::StaticObjectMember:
    return StaticObjectMembers;
  case StorageKind::None:
    return false;
  }
  return false;
}

const char *StorageKinds::defaultNames() {
  return "Globals;StaticLocals;ThreadLocals;StaticObjectMembers;DataMembers";
}

std::vector<std::string>
StorageKinds::parse(const std::vector<std::string> &Names) {
  Globals = StaticLocals = ThreadLocals = StaticObjectMembers = DataMembers =
      false;
  std::vector<std::string> Bad;
  for (const std::string &N : Names) {
    bool *Flag = llvm::StringSwitch<bool *>(N)
                     .Case("Globals", &Globals)
                     .Case("StaticLocals", &StaticLocals)
                     .Case("ThreadLocals", &ThreadLocals)
                     .Case("StaticObjectMembers", &StaticObjectMembers)
                     .Case("DataMembers", &DataMembers)
                     .Default(nullptr);
    if (Flag)
      *Flag = true;
    else
      Bad.push_back(N);
  }
  return Bad;
}

static StorageKind kindOfVar(const VarDecl *V) {
  if (V->getTLSKind() != VarDecl::TLS_None)
    return StorageKind::ThreadLocal;
  if (V->isStaticLocal())
    return StorageKind::StaticLocal;
  return StorageKind::Global;
}

StorageKind storageKindOf(const VarDecl *V) { return kindOfVar(V); }

LongLivedStorage longLivedStorage(const Expr *E, StaticInstanceIndex *Index) {
  LongLivedStorage Out;
  for (unsigned Depth = 0; E && Depth < 32; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (!V)
        return {};
      if (V->getType()->isReferenceType()) {
        // A local reference bound to long-lived storage (auto &m = g_map).
        if (V->hasGlobalStorage() || !V->getInit())
          return {};
        E = V->getInit();
        continue;
      }
      if (!hasProgramLifetime(V))
        return {};
      Out.Kind = kindOfVar(V);
      Out.Root = V;
      return Out;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl())) {
        if (!hasProgramLifetime(VD))
          return {};
        Out.Kind = kindOfVar(VD);
        Out.Root = VD;
        return Out;
      }
      if (ME->isArrow()) {
        const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
        if (isa<CXXThisExpr>(Base) && Index &&
            Index->hasStaticInstance(
                Base->getType()->getPointeeType()->getAsCXXRecordDecl())) {
          Out.Kind = StorageKind::StaticObjectMember;
          Out.Root = ME->getMemberDecl();
          return Out;
        }
        return {}; // through a pointer: unknown target
      }
      E = ME->getBase();
      continue;
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
      if (!ASE->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
        return {}; // through a pointer
      E = ASE->getBase();
      continue;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      if (Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2) {
        Out.InContainer = true;
        E = Op->getArg(0);
        continue;
      }
      return {};
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() &&
          llvm::StringSwitch<bool>(M->getName())
              .Cases({"at", "front", "back", "operator[]"}, true)
              .Default(false)) {
        Out.InContainer = true;
        E = MC->getImplicitObjectArgument();
        continue;
      }
      return {};
    }
    return {};
  }
  return {};
}

const Expr *containerStoringArgument(const CallExpr *Call, unsigned Arg) {
  if (Arg >= Call->getNumArgs())
    return nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier())
      return nullptr;
    bool Stores = llvm::StringSwitch<bool>(M->getName())
                      .Cases({"push_back", "emplace_back", "push_front",
                              "emplace_front", "insert", "emplace",
                              "emplace_hint", "try_emplace", "insert_or_assign",
                              "push", "append", "prepend", "enqueue", "assign"},
                             true)
                      .Default(false);
    return Stores ? MC->getImplicitObjectArgument() : nullptr;
  }
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier() || Arg == 0)
    return nullptr;
  bool Stores = llvm::StringSwitch<bool>(FD->getName())
                    .Cases({"g_hash_table_insert", "g_hash_table_replace",
                            "g_ptr_array_add", "g_queue_push_tail",
                            "g_queue_push_head", "g_async_queue_push"},
                           true)
                    .Default(false);
  return Stores ? Call->getArg(0) : nullptr;
}

SourceLocation Sink::loc() const {
  if (Store)
    return Store->getBeginLoc();
  if (StoreVar)
    return StoreVar->getLocation();
  return SourceLocation();
}

namespace {
bool isWrapperRecord(const CXXRecordDecl *RD, const NameMatcher &Wrappers) {
  if (!RD)
    return false;
  if (Wrappers.matches(RD))
    return true;
  std::string Name = qualifiedName(RD);
  return Name == "std::pair" || Name == "std::tuple" ||
         Name == "std::function" || Name == "std::optional" ||
         Name == "std::move_only_function" || Name == "boost::function";
}

/// Whether the construction \p CE carries the value \p Arg it is built from
/// (rather than copying what it points to).
bool carriesValue(const CXXConstructExpr *CE, const Expr *Arg, bool RawPointer,
                  const NameMatcher &Wrappers) {
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor)
    return false;
  const CXXRecordDecl *RD = Ctor->getParent();
  if (RawPointer) // std::string(p), std::vector(p, p + n): copies
    return false;
  if (Ctor->isCopyOrMoveConstructor())
    return true;
  if (isa<LambdaExpr>(Arg->IgnoreParenImpCasts()))
    return true; // std::function built from a lambda
  return isWrapperRecord(RD, Wrappers);
}
} // namespace

Sink findSink(const Expr *E, ASTContext &Ctx, StaticInstanceIndex *Index,
              bool RawPointer, const NameMatcher &Wrappers) {
  Sink Out;
  DynTypedNode N = DynTypedNode::create(*E);
  const Expr *Cur = E;
  for (unsigned Depth = 0; Depth < 24; ++Depth) {
    DynTypedNode P = parentOf(N, Ctx);
    if (const auto *V = P.get<VarDecl>()) {
      if (V->getInit() == nullptr || isa<ParmVarDecl>(V))
        return Out;
      if (V->isInitCapture()) {
        // [s = slice] { ... }: the lambda object holds the slice.
        DynTypedNode L = parentOf(P, Ctx);
        if (const auto *Lambda = L.get<LambdaExpr>()) {
          N = L;
          Cur = Lambda;
          continue;
        }
        return Out;
      }
      if (hasProgramLifetime(V)) {
        Out.Storage.Kind = kindOfVar(V);
        Out.Storage.Root = V;
        Out.StoreVar = V;
      } else if (!V->getType()->isReferenceType()) {
        Out.Local = V;
      }
      return Out;
    }
    const auto *PS = P.get<Stmt>();
    if (!PS)
      return Out;
    if (isa<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
            CXXBindTemporaryExpr, ExprWithCleanups, InitListExpr,
            CXXStdInitializerListExpr>(PS) ||
        (isa<ExplicitCastExpr>(PS) && !isa<CXXFunctionalCastExpr>(PS) &&
         cast<Expr>(PS)->getType()->isPointerType())) {
      N = P;
      Cur = cast<Expr>(PS);
      continue;
    }
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(PS)) {
      if (RawPointer && !FC->getType()->isPointerType())
        return Out;
      N = P;
      Cur = FC;
      continue;
    }
    if (const auto *CO = dyn_cast<AbstractConditionalOperator>(PS)) {
      if (Cur == CO->getCond())
        return Out;
      N = P;
      Cur = CO;
      continue;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(PS)) {
      if (!carriesValue(CE, Cur, RawPointer, Wrappers))
        return Out;
      N = P;
      Cur = CE;
      continue;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(PS)) {
      bool IsCapture = false;
      for (const Expr *Init : L->capture_inits())
        IsCapture = IsCapture || Init == Cur;
      if (!IsCapture)
        return Out;
      N = P;
      Cur = L;
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(PS)) {
      if (BO->getOpcode() == BO_Assign && BO->getRHS() == Cur) {
        Out.Storage = longLivedStorage(BO->getLHS(), Index);
        Out.Store = BO;
      }
      return Out;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PS)) {
      if (Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
          Op->getArg(1) == Cur) {
        Out.Storage = longLivedStorage(Op->getArg(0), Index);
        Out.Store = Op;
      }
      return Out;
    }
    if (const auto *Call = dyn_cast<CallExpr>(PS)) {
      if (isMoveLike(Call) ||
          (!RawPointer && Call->getDirectCallee() &&
           (isStdFunction(Call->getDirectCallee(), "make_pair") ||
            isStdFunction(Call->getDirectCallee(), "make_tuple")))) {
        N = P;
        Cur = Call;
        continue;
      }
      for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
        if (Call->getArg(I) != Cur)
          continue;
        if (const Expr *Container = containerStoringArgument(Call, I)) {
          Out.Storage = longLivedStorage(Container, Index);
          Out.Storage.InContainer = true;
          Out.Store = Call;
        }
        break;
      }
      return Out;
    }
    return Out;
  }
  return Out;
}

namespace {
class RefCollector : public RecursiveASTVisitor<RefCollector> {
public:
  RefCollector(const ValueDecl *V, std::vector<const DeclRefExpr *> &Out)
      : V(V), Out(Out) {}
  bool shouldVisitLambdaBody() const { return true; }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == V && Out.size() < 4096)
      Out.push_back(E);
    return true;
  }

private:
  const ValueDecl *V;
  std::vector<const DeclRefExpr *> &Out;
};

std::vector<const DeclRefExpr *> refsInFunction(const VarDecl *V) {
  std::vector<const DeclRefExpr *> Refs;
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
  if (!FD || !FD->getBody())
    return Refs;
  RefCollector C(V, Refs);
  C.TraverseStmt(FD->getBody());
  return Refs;
}
} // namespace

std::vector<Sink> longLivedSinksOfLocal(const VarDecl *V, ASTContext &Ctx,
                                        StaticInstanceIndex *Index,
                                        bool RawPointer,
                                        const NameMatcher &Wrappers) {
  std::vector<Sink> Out;
  for (const DeclRefExpr *Ref : refsInFunction(V)) {
    Sink S = findSink(Ref, Ctx, Index, RawPointer, Wrappers);
    if (S.Storage)
      Out.push_back(S);
  }
  return Out;
}

//===-- Sizes ------------------------------------------------------------===//

std::string BufferSize::describe() const {
  if (!Known)
    return "size unknown";
  return std::to_string(Bytes) + (Bytes == 1 ? " byte" : " bytes");
}

std::optional<uint64_t> constantValue(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent() ||
      E->containsErrors())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx) || !R.Val.isInt())
    return std::nullopt;
  const llvm::APSInt &V = R.Val.getInt();
  if (V.isSigned() && V.isNegative())
    return std::nullopt;
  if (V.getActiveBits() > 63)
    return std::nullopt;
  return V.getZExtValue();
}

static std::optional<uint64_t> sizeOfType(QualType T, const ASTContext &Ctx) {
  if (T.isNull() || T->isDependentType() || T->isIncompleteType() ||
      T->isFunctionType())
    return T.isNull() || !T->isVoidType() ? std::nullopt
                                          : std::optional<uint64_t>(1);
  return static_cast<uint64_t>(Ctx.getTypeSizeInChars(T).getQuantity());
}

BufferSize bytesOf(const Expr *Count, QualType Elem, const ASTContext &Ctx) {
  std::optional<uint64_t> N = constantValue(Count, Ctx);
  std::optional<uint64_t> Size =
      Elem.isNull() ? std::optional<uint64_t>(1) : sizeOfType(Elem, Ctx);
  if (!N || !Size)
    return BufferSize::unknown();
  if (*Size != 0 && *N > UINT64_MAX / *Size)
    return BufferSize::unknown();
  return BufferSize::known(*N * *Size);
}

std::optional<HeapAllocation> heapAllocation(const Expr *E,
                                             const ASTContext &Ctx) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  HeapAllocation H;
  H.Alloc = E;
  if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
    if (!New->isArray())
      return std::nullopt;
    std::optional<const Expr *> Count = New->getArraySize();
    if (!Count || !*Count)
      return std::nullopt;
    H.Size = bytesOf(*Count, New->getAllocatedType(), Ctx);
    return H;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return std::nullopt;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return std::nullopt;
  llvm::StringRef Name = FD->getName();
  unsigned N = Call->getNumArgs();
  if (Name.starts_with("g_")) { // GLib allocators: plain C functions
    if ((Name == "g_malloc" || Name == "g_malloc0" || Name == "g_try_malloc") &&
        N == 1) {
      H.Size = bytesOf(Call->getArg(0), QualType(), Ctx);
      return H;
    }
    if ((Name == "g_malloc_n" || Name == "g_malloc0_n") && N == 2) {
      BufferSize A = bytesOf(Call->getArg(0), QualType(), Ctx);
      BufferSize B = bytesOf(Call->getArg(1), QualType(), Ctx);
      if (A.Known && B.Known &&
          (B.Bytes == 0 || A.Bytes <= UINT64_MAX / B.Bytes))
        H.Size = BufferSize::known(A.Bytes * B.Bytes);
      return H;
    }
    return std::nullopt;
  }
  if (isCFunction(FD, "malloc") && N == 1) {
    H.Size = bytesOf(Call->getArg(0), QualType(), Ctx);
    return H;
  }
  if ((isCFunction(FD, "realloc") || isCFunction(FD, "aligned_alloc")) &&
      N == 2) {
    H.Size = bytesOf(Call->getArg(1), QualType(), Ctx);
    return H;
  }
  if (isCFunction(FD, "calloc") && N == 2) {
    BufferSize A = bytesOf(Call->getArg(0), QualType(), Ctx);
    BufferSize B = bytesOf(Call->getArg(1), QualType(), Ctx);
    if (A.Known && B.Known && (B.Bytes == 0 || A.Bytes <= UINT64_MAX / B.Bytes))
      H.Size = BufferSize::known(A.Bytes * B.Bytes);
    return H;
  }
  return std::nullopt;
}

//===-- Origins ----------------------------------------------------------===//

namespace {
/// Size of a buffer built by constructing \p T from \p Args (a container
/// with a count, a fixed array, or a plain object).
BufferSize sizeOfConstructed(QualType T, llvm::ArrayRef<const Expr *> Args,
                             const ASTContext &Ctx, bool *Analyzable) {
  *Analyzable = true;
  if (T.isNull() || T->isDependentType()) {
    *Analyzable = false;
    return BufferSize::unknown();
  }
  if (const auto *IA = dyn_cast<IncompleteArrayType>(T.getCanonicalType())) {
    if (!Args.empty() && isIntegral(Args[0]))
      return bytesOf(Args[0], IA->getElementType(), Ctx);
    return BufferSize::unknown();
  }
  BufferFamily F = bufferFamily(T);
  if (F != BufferFamily::None) {
    if (!Args.empty() && isIntegral(Args[0]))
      return bytesOf(Args[0], elementType(T, F, Ctx), Ctx);
    return BufferSize::unknown(); // empty (filled later) or from a range
  }
  if (std::optional<uint64_t> S = sizeOfType(T, Ctx))
    return BufferSize::known(*S);
  *Analyzable = false;
  return BufferSize::unknown();
}

BufferOrigin originImpl(const Expr *Owner, const ASTContext &Ctx,
                        const NameMatcher &OwnerTypes, unsigned Depth) {
  BufferOrigin Out;
  if (!Owner || Depth > 6)
    return Out;
  const Expr *E = stripCopies(Owner);
  Out.Where = E;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    if (!V)
      return Out;
    Out.Var = V;
    if (isa<ParmVarDecl>(V)) {
      Out.K = BufferOrigin::Parameter;
      return Out;
    }
    if (hasProgramLifetime(V) && !V->getType()->isReferenceType()) {
      Out.K = BufferOrigin::LongLived;
      return Out;
    }
    if (V->getInit() && !V->hasGlobalStorage() && !V->isCXXForRangeDecl()) {
      BufferOrigin Inner = originImpl(V->getInit(), Ctx, OwnerTypes, Depth + 1);
      if (!Inner.Var)
        Inner.Var = V;
      return Inner;
    }
    return Out;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (longLivedStorage(ME, nullptr))
      Out.K = BufferOrigin::LongLived;
    return Out;
  }
  if (std::optional<HeapAllocation> H = heapAllocation(E, Ctx)) {
    Out.K = BufferOrigin::Created;
    Out.Size = H->Size;
    return Out;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    // shared_ptr<T>(new T[n]) or a container built with a count.
    if (CE->getConstructor() &&
        OwnerTypes.matches(CE->getConstructor()->getParent())) {
      if (CE->getNumArgs() >= 1)
        if (std::optional<HeapAllocation> H =
                heapAllocation(CE->getArg(0), Ctx)) {
          Out.K = BufferOrigin::Created;
          Out.Size = H->Size;
        }
      return Out;
    }
    llvm::SmallVector<const Expr *, 4> Args(CE->arguments());
    bool Ok = false;
    BufferSize S = sizeOfConstructed(CE->getType(), Args, Ctx, &Ok);
    if (Ok) {
      Out.K = BufferOrigin::Created;
      Out.Size = S;
    }
    return Out;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return Out;
  Out.K = BufferOrigin::FunctionResult;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return Out;
  llvm::StringRef Name = FD->getName();
  // GLib byte buffers.
  if ((Name == "g_bytes_new" || Name == "g_bytes_new_take" ||
       Name == "g_bytes_new_with_free_func") &&
      Call->getNumArgs() >= 2) {
    Out.K = BufferOrigin::Created;
    Out.Size = bytesOf(Call->getArg(1), QualType(), Ctx);
    return Out;
  }
  if (Name == "g_bytes_new_static") {
    Out.K = BufferOrigin::LongLived;
    return Out;
  }
  if ((Name == "g_bytes_ref" || Name == "g_bytes_new_from_bytes") &&
      Call->getNumArgs() >= 1)
    return originImpl(Call->getArg(0), Ctx, OwnerTypes, Depth + 1);
  // make_shared<T>(args...) and friends.
  if (Name == "make_shared" || Name == "allocate_shared" ||
      Name == "make_shared_for_overwrite") {
    const TemplateArgumentList *TA = FD->getTemplateSpecializationArgs();
    if (!TA || TA->size() == 0 ||
        TA->get(0).getKind() != TemplateArgument::Type)
      return Out;
    llvm::SmallVector<const Expr *, 4> Args(Call->arguments());
    if (Name == "allocate_shared" && !Args.empty())
      Args.erase(Args.begin());
    bool Ok = false;
    BufferSize S = sizeOfConstructed(TA->get(0).getAsType(), Args, Ctx, &Ok);
    if (Ok) {
      Out.K = BufferOrigin::Created;
      Out.Size = S;
    }
    return Out;
  }
  return Out;
}
} // namespace

BufferOrigin originOf(const Expr *Owner, const ASTContext &Ctx,
                      const NameMatcher &OwnerTypes) {
  return originImpl(Owner, Ctx, OwnerTypes, 0);
}

std::optional<uint64_t> fixedPointeeSize(QualType OwnerType,
                                         const ASTContext &Ctx) {
  QualType P = pointeeOfOwner(OwnerType);
  if (P.isNull() || P->isDependentType())
    return std::nullopt;
  P = P.getCanonicalType();
  if (isa<ConstantArrayType>(P))
    return sizeOfType(P, Ctx);
  if (P->isRecordType() && bufferFamily(P) == BufferFamily::None)
    return sizeOfType(P, Ctx);
  return std::nullopt; // char/byte/void/T[]/containers: a buffer
}

//===-- Interior pointers ------------------------------------------------===//

std::optional<InteriorPointer> interiorPointer(const Expr *E,
                                               const ASTContext &Ctx) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  InteriorPointer IP;
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_Add) {
      if (BO->getLHS()->getType()->isPointerType()) {
        IP.Base = BO->getLHS();
        IP.Offset = BO->getRHS();
      } else if (BO->getRHS()->getType()->isPointerType()) {
        IP.Base = BO->getRHS();
        IP.Offset = BO->getLHS();
      }
    } else if (BO->getOpcode() == BO_Sub &&
               BO->getLHS()->getType()->isPointerType() &&
               isIntegral(BO->getRHS())) {
      IP.Base = BO->getLHS();
      IP.Offset = BO->getRHS();
    }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_AddrOf)
      if (const auto *ASE =
              dyn_cast<ArraySubscriptExpr>(UO->getSubExpr()->IgnoreParens())) {
        IP.Base = ASE->getBase();
        IP.Offset = ASE->getIdx();
      }
  }
  if (!IP.Base || !IP.Offset || !isIntegral(IP.Offset))
    return std::nullopt;
  if (!IP.Base->IgnoreParenImpCasts()->getType()->isPointerType())
    return std::nullopt; // an array, not a heap block
  std::optional<uint64_t> Off = constantValue(IP.Offset, Ctx);
  if (Off && *Off == 0)
    return std::nullopt;
  return IP;
}

bool isNonRetainingFunction(const FunctionDecl *Callee) {
  if (!Callee || !Callee->getIdentifier())
    return false;
  static const char *const Names[] = {
      "read",     "pread",     "recv",          "recvfrom", "fread",
      "fgets",    "memcpy",    "memmove",       "memset",   "memcmp",
      "memchr",   "strcpy",    "strncpy",       "strcat",   "strncat",
      "strlen",   "strnlen",   "strcmp",        "strncmp",  "strchr",
      "strrchr",  "strstr",    "strspn",        "strcspn",  "sprintf",
      "snprintf", "vsnprintf", "sscanf",        "printf",   "fprintf",
      "puts",     "fputs",     "fwrite",        "write",    "send",
      "sendto",   "atoi",      "atol",          "strtol",   "strtoul",
      "strtoll",  "strtoull",  "strtod",        "isspace",  "toupper",
      "tolower",  "bzero",     "explicit_bzero"};
  for (const char *N : Names)
    if (isCFunction(Callee, N))
      return true;
  return false;
}

std::optional<HeapAllocation> lostHeapBase(const VarDecl *V, ASTContext &Ctx) {
  if (!V || !V->getType()->isPointerType() || V->hasGlobalStorage() ||
      isa<ParmVarDecl>(V) || !V->isLocalVarDecl())
    return std::nullopt;
  std::optional<HeapAllocation> Alloc;
  if (V->getInit()) {
    Alloc = heapAllocation(V->getInit(), Ctx);
    if (!Alloc)
      return std::nullopt;
  }
  std::vector<const DeclRefExpr *> Refs = refsInFunction(V);
  if (Refs.size() >= 4096)
    return std::nullopt;
  for (const DeclRefExpr *Ref : Refs) {
    const Expr *Child = nullptr;
    DynTypedNode DeclParent;
    const Stmt *P = usingParent(Ref, Ctx, &Child, &DeclParent);
    // Look through explicit casts: (unsigned char *)buf + 4.
    while (const auto *Cast = dyn_cast_or_null<ExplicitCastExpr>(P)) {
      if (!Cast->getType()->isPointerType())
        break;
      P = usingParent(Cast, Ctx, &Child);
    }
    if (!P)
      return std::nullopt;
    if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->getOpcode() == BO_Assign && BO->getLHS() == Child) {
        // The one assignment of the allocation (C89 style).
        if (Alloc)
          return std::nullopt;
        Alloc = heapAllocation(BO->getRHS(), Ctx);
        if (!Alloc)
          return std::nullopt;
        continue;
      }
      if (BO->isAdditiveOp() || BO->isComparisonOp() || BO->isLogicalOp())
        continue;
      return std::nullopt;
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(P)) {
      if (ASE->getBase() == Child)
        continue;
      return std::nullopt;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
      if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_LNot)
        continue;
      return std::nullopt;
    }
    if (isa<UnaryExprOrTypeTraitExpr>(P))
      continue; // sizeof
    if (isa<IfStmt, WhileStmt, DoStmt, ForStmt, ConditionalOperator>(P)) {
      // Used as a condition (if (!buf) / if (buf)).
      if (const auto *If = dyn_cast<IfStmt>(P); If && If->getCond() == Child)
        continue;
      if (const auto *W = dyn_cast<WhileStmt>(P); W && W->getCond() == Child)
        continue;
      if (const auto *CO = dyn_cast<ConditionalOperator>(P);
          CO && CO->getCond() == Child)
        continue;
      return std::nullopt;
    }
    if (const auto *Call = dyn_cast<CallExpr>(P)) {
      if (Call->getCallee() != Child &&
          isNonRetainingFunction(Call->getDirectCallee()))
        continue;
      return std::nullopt;
    }
    return std::nullopt; // freed, stored, returned, passed on: not lost
  }
  return Alloc;
}

//===-- Containers -------------------------------------------------------===//

BufferFamily bufferFamily(QualType T) {
  if (T.isNull())
    return BufferFamily::None;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return BufferFamily::None;
  std::string Name = qualifiedName(RD);
  return llvm::StringSwitch<BufferFamily>(Name)
      .Case("std::vector", BufferFamily::StdVector)
      .Case("std::basic_string", BufferFamily::StdString)
      .Case("std::deque", BufferFamily::StdDeque)
      .Case("QByteArray", BufferFamily::QtByteArray)
      .Case("QString", BufferFamily::QtString)
      .Case("QVector", BufferFamily::QtVector)
      .Default(BufferFamily::None);
}

bool isQtFamily(BufferFamily F) {
  return F == BufferFamily::QtByteArray || F == BufferFamily::QtString ||
         F == BufferFamily::QtVector;
}

bool isWithin(const Stmt *Inner, const Stmt *Outer, ASTContext &Ctx) {
  if (!Inner || !Outer)
    return false;
  DynTypedNode N = DynTypedNode::create(*Inner);
  for (unsigned Depth = 0; Depth < 512; ++Depth) {
    if (N.get<Stmt>() == Outer)
      return true;
    N = parentOf(N, Ctx);
    if (!N.get<Stmt>())
      return false;
  }
  return false;
}

namespace {
/// Whether \p E is `C.end()` / `C.cend()` (or `.begin()` with \p Begin) on
/// the same declaration as \p Ref.
bool isBoundaryCall(const Expr *E, const Expr *Ref, bool Begin) {
  // Through the iterator -> const_iterator conversion and `it + k`.
  for (unsigned I = 0; I < 8; ++I) {
    E = stripCopies(E)->IgnoreImplicit();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
        CE && CE->getNumArgs() == 1)
      E = CE->getArg(0);
    else
      break;
  }
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  if (!MC || !MC->getMethodDecl() || !MC->getMethodDecl()->getIdentifier())
    return false;
  llvm::StringRef N = MC->getMethodDecl()->getName();
  if (Begin ? (N != "begin" && N != "cbegin") : (N != "end" && N != "cend"))
    return false;
  const Expr *Obj = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
  const Expr *R = Ref->IgnoreParenImpCasts();
  const ValueDecl *A = nullptr, *B = nullptr;
  if (const auto *D = dyn_cast<DeclRefExpr>(Obj))
    A = D->getDecl();
  else if (const auto *M = dyn_cast<MemberExpr>(Obj))
    A = M->getMemberDecl();
  if (const auto *D = dyn_cast<DeclRefExpr>(R))
    B = D->getDecl();
  else if (const auto *M = dyn_cast<MemberExpr>(R))
    B = M->getMemberDecl();
  return A && A == B;
}

bool isFreshContainer(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  for (unsigned I = 0; I < 8; ++I) {
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BTE->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
      E = FC->getSubExpr()->IgnoreParenImpCasts();
    else
      break;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() == 0 ||
           (CE->getConstructor() &&
            CE->getConstructor()->isDefaultConstructor());
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits() == 0;
  return false;
}

bool isEmptyInitList(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  for (unsigned I = 0; I < 8; ++I) {
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr()->IgnoreParenImpCasts();
    else if (const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(E))
      E = SIL->getSubExpr()->IgnoreParenImpCasts();
    else
      break;
  }
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits() == 0;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() == 0 && CE->isListInitialization();
  return false;
}

bool isInitializerListParam(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && qualifiedName(RD) == "std::initializer_list";
}

/// The declaration a container reference names (a variable or a member).
const ValueDecl *refDecl(const Expr *Ref) {
  Ref = Ref->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Ref))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(Ref))
    return ME->getMemberDecl();
  return nullptr;
}

/// Whether the condition of \p Loop reads the size of container \p D
/// (`while (v.size() < cap)`, `i < n && int(v.size()) < max`): the loop fills
/// up to a cap the container is meant to reach again -- a pool or a bounded
/// batch, not a burst of unknown size.
bool loopCapsSize(const Stmt *Loop, const ValueDecl *D) {
  const Expr *Cond = loopCondition(Loop);
  if (!Cond || !D)
    return false;
  llvm::SmallVector<const Stmt *, 16> Work{Cond};
  unsigned Seen = 0;
  while (!Work.empty() && ++Seen < 256) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (const CXXMethodDecl *M = MC->getMethodDecl())
        if (M->getIdentifier() &&
            (M->getName() == "size" || M->getName() == "length") &&
            MC->getImplicitObjectArgument() &&
            refDecl(MC->getImplicitObjectArgument()) == D)
          return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

/// A growth inside a loop whose trip count is not a small constant is a
/// burst: the container may take a large amount.
void markBurst(BufferUse &U, BufferFamily F, const Expr *Ref, ASTContext &Ctx,
               uint64_t Threshold) {
  if (U.Effect != ContainerEffect::Grow || !U.Loop)
    return;
  if (loopCapsSize(U.Loop, refDecl(Ref)))
    return;
  QualType T = Ref->getType();
  std::optional<uint64_t> Trips = constantTripCount(U.Loop, Ctx);
  BufferSize S = BufferSize::unknown();
  if (Trips) {
    std::optional<uint64_t> Elem = sizeOfType(elementType(T, F, Ctx), Ctx);
    if (Elem && (*Elem == 0 || *Trips <= UINT64_MAX / *Elem))
      S = BufferSize::known(*Trips * *Elem);
  }
  if (S.isLarge(Threshold)) {
    U.Effect = ContainerEffect::LargeFill;
    U.Size = S;
  }
}

BufferUse classifyMethodCall(const CXXMemberCallExpr *MC, const Expr *Ref,
                             BufferFamily F, ASTContext &Ctx,
                             uint64_t Threshold) {
  BufferUse U;
  U.Where = MC;
  const CXXMethodDecl *M = MC->getMethodDecl();
  if (!M || !M->getIdentifier())
    return U;
  llvm::StringRef Name = M->getName();
  QualType T = Ref->getType();
  QualType Elem = elementType(T, F, Ctx);
  // Arguments the caller wrote (default arguments left out).
  unsigned N = 0;
  while (N < MC->getNumArgs() && !isa<CXXDefaultArgExpr>(MC->getArg(N)))
    ++N;
  bool QtString = F == BufferFamily::QtByteArray || F == BufferFamily::QtString;
  if (Name == "shrink_to_fit" || Name == "squeeze" || Name == "swap") {
    U.Effect = ContainerEffect::Release;
    return U;
  }
  if (Name == "reserve") {
    if (N == 0) { // std::string::reserve(): a shrink request before C++20
      U.Effect = ContainerEffect::Release;
      return U;
    }
    BufferSize S = bytesOf(MC->getArg(0), Elem, Ctx);
    if (S.isLarge(Threshold)) {
      U.Effect = ContainerEffect::LargeFill;
      U.Size = S;
    }
    return U;
  }
  if (Name == "resize" && N >= 1) {
    BufferSize S = bytesOf(MC->getArg(0), Elem, Ctx);
    if (S.isLarge(Threshold)) {
      U.Effect = ContainerEffect::LargeFill; // large or run-time size
      U.Size = S;
      return U;
    }
    if (S.Bytes == 0 && QtString)
      return U; // QByteArray::resize(0) may free: do not count it as a cut
    U.Effect = ContainerEffect::Cut;
    U.Emptying = S.Bytes == 0;
    return U;
  }
  if (Name == "clear" && N == 0) {
    U.Effect = QtString ? ContainerEffect::Release : ContainerEffect::Cut;
    U.Emptying = true;
    return U;
  }
  if ((Name == "truncate" || Name == "chop") && N == 1 && isQtFamily(F)) {
    std::optional<uint64_t> K = constantValue(MC->getArg(0), Ctx);
    if (Name == "truncate" && (!K || *K == 0))
      return U; // run-time or zero: unsure, stay neutral
    U.Effect = ContainerEffect::Cut;
    return U;
  }
  if (Name == "erase") {
    if (F == BufferFamily::StdString && N <= 1 &&
        (N == 0 || isIntegral(MC->getArg(0)))) {
      U.Effect = ContainerEffect::Cut; // erase(pos): everything after pos
      U.Emptying = N == 0 || constantValue(MC->getArg(0), Ctx) == uint64_t(0);
      return U;
    }
    if (N == 2 && !isIntegral(MC->getArg(0)) &&
        isBoundaryCall(MC->getArg(1), Ref, /*Begin=*/false)) {
      U.Effect = ContainerEffect::Cut;
      U.Emptying = isBoundaryCall(MC->getArg(0), Ref, /*Begin=*/true);
      return U;
    }
    return U;
  }
  bool Growth = llvm::StringSwitch<bool>(Name)
                    .Cases({"push_back", "emplace_back", "push_front",
                            "emplace_front", "emplace", "insert", "append",
                            "prepend", "assign", "replace", "fill"},
                           true)
                    .Default(false);
  if (!Growth)
    return U;
  U.Effect = ContainerEffect::Grow;
  // assign(n, v) / append(n, c) / fill(v, n): a count.
  if ((Name == "assign" || Name == "append") && N == 2 &&
      isIntegral(MC->getArg(0)) && !MC->getArg(0)->getType()->isPointerType()) {
    BufferSize S = bytesOf(MC->getArg(0), Elem, Ctx);
    if (S.isLarge(Threshold)) {
      U.Effect = ContainerEffect::LargeFill;
      U.Size = S;
    }
    return U;
  }
  // append(p, n) / assign(p, n): a pointer and a count.
  if ((Name == "append" || Name == "assign" || Name == "insert") && N >= 2 &&
      MC->getArg(N - 2)->getType()->isPointerType() &&
      isIntegral(MC->getArg(N - 1))) {
    BufferSize S = bytesOf(MC->getArg(N - 1), Elem, Ctx);
    if (S.isLarge(Threshold)) {
      U.Effect = ContainerEffect::LargeFill;
      U.Size = S;
    }
    return U;
  }
  // assign(first, last) / insert(pos, first, last): a range of any length.
  if (((Name == "assign" || Name == "append") && N == 2) ||
      (Name == "insert" && N == 3)) {
    const Expr *First = MC->getArg(N - 2);
    const Expr *Last = MC->getArg(N - 1);
    if (!isIntegral(First) && !isIntegral(Last) &&
        First->getType().getCanonicalType().getUnqualifiedType() ==
            Last->getType().getCanonicalType().getUnqualifiedType()) {
      U.Effect = ContainerEffect::LargeFill;
      U.Size = BufferSize::unknown();
      return U;
    }
  }
  return U;
}

BufferUse classifyAssignment(const CXXOperatorCallExpr *Op,
                             const NameMatcher &OwnerTypes, ASTContext &Ctx,
                             uint64_t Threshold) {
  BufferUse U;
  U.Where = Op;
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
  if (!M || M->getNumParams() != 1 || Op->getNumArgs() != 2) {
    U.Effect = ContainerEffect::Grow;
    return U;
  }
  const Expr *Src = Op->getArg(1);
  QualType PT = M->getParamDecl(0)->getType();
  if (isInitializerListParam(PT)) {
    // v = {}: the initializer-list assignment clears and keeps the capacity.
    if (isEmptyInitList(Src)) {
      U.Effect = ContainerEffect::Cut;
      U.Emptying = true;
    } else {
      U.Effect = ContainerEffect::Grow;
    }
    return U;
  }
  if (!M->isCopyAssignmentOperator() && !M->isMoveAssignmentOperator()) {
    U.Effect = ContainerEffect::Grow; // = "text", = 'c', = view
    return U;
  }
  if (M->isMoveAssignmentOperator() && isFreshContainer(Src)) {
    U.Effect = ContainerEffect::Release; // v = std::vector<T>()
    return U;
  }
  BufferOrigin O = originOf(Src, Ctx, OwnerTypes);
  if (O.K == BufferOrigin::LongLived) {
    U.Effect = ContainerEffect::Grow;
    return U;
  }
  if (O.Size.isLarge(Threshold) &&
      (O.K == BufferOrigin::Parameter || O.K == BufferOrigin::FunctionResult ||
       O.K == BufferOrigin::Created)) {
    U.Effect = ContainerEffect::LargeFill;
    U.Size = O.Size;
    return U;
  }
  // Moved from a small buffer: the old allocation is given back.
  U.Effect = M->isMoveAssignmentOperator() && O.K == BufferOrigin::Created
                 ? ContainerEffect::Release
                 : ContainerEffect::Grow;
  return U;
}
} // namespace

BufferUse classifyBufferUse(const Expr *Ref, BufferFamily F, ASTContext &Ctx,
                            uint64_t Threshold, const NameMatcher &OwnerTypes) {
  BufferUse U;
  U.Where = Ref;
  const Expr *Child = nullptr;
  DynTypedNode DeclParent;
  const Stmt *P = usingParent(Ref, Ctx, &Child, &DeclParent);
  U.Loop = enclosingLoop(Ref, Ctx);
  U.InLoop = U.Loop != nullptr;
  if (!P) {
    // A declaration: `T &r = g;` may change it behind our back.
    if (const auto *V = DeclParent.get<VarDecl>())
      if (!V->isImplicit() && // the range of a range-based for
          V->getType()->isReferenceType() &&
          !V->getType().getNonReferenceType().isConstQualified())
        U.Effect = ContainerEffect::Opaque;
    return U;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    if (ME->getBase() != Child)
      return U;
    DynTypedNode CallNode = parentOf(DynTypedNode::create(*ME), Ctx);
    const auto *MC = CallNode.get<CXXMemberCallExpr>();
    if (!MC || MC->getCallee()->IgnoreParens() != ME)
      return U;
    BufferUse R = classifyMethodCall(MC, Ref, F, Ctx, Threshold);
    R.Loop = U.Loop;
    R.InLoop = U.InLoop;
    markBurst(R, F, Ref, Ctx, Threshold);
    return R;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
    if (Op->getNumArgs() >= 1 && Op->getArg(0) == Child) {
      BufferUse R = U;
      R.Where = Op;
      if (Op->getOperator() == OO_Equal) {
        BufferUse A = classifyAssignment(Op, OwnerTypes, Ctx, Threshold);
        A.Loop = U.Loop;
        A.InLoop = U.InLoop;
        R = A;
      } else if (Op->getOperator() == OO_PlusEqual ||
                 Op->getOperator() == OO_LessLess) {
        R.Effect = ContainerEffect::Grow;
      }
      markBurst(R, F, Ref, Ctx, Threshold);
      return R;
    }
    // Passed as an operand: a read or a copy (x = g, g == h).
    return U;
  }
  if (const auto *Call = dyn_cast<CallExpr>(P)) {
    if (isMoveLike(Call)) {
      U.Effect = ContainerEffect::Release; // the buffer is moved out
      U.Where = Call;
      return U;
    }
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->getIdentifier() && FD->getName() == "swap") {
      U.Effect = ContainerEffect::Release;
      U.Where = Call;
      return U;
    }
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      if (Call->getArg(I) != Child)
        continue;
      if (!FD || I >= FD->getNumParams()) {
        U.Effect = ContainerEffect::Opaque; // variadic or unknown
        return U;
      }
      QualType PT = FD->getParamDecl(I)->getType();
      if (PT->isReferenceType() && !PT.getNonReferenceType().isConstQualified())
        U.Effect = ContainerEffect::Opaque;
      return U;
    }
    return U;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
    if (UO->getOpcode() == UO_AddrOf)
      U.Effect = ContainerEffect::Opaque;
    return U;
  }
  if (isa<ReturnStmt>(P)) {
    // Returned by non-const reference: the caller may do anything.
    DynTypedNode N = DynTypedNode::create(*P);
    for (unsigned Depth = 0; Depth < 256; ++Depth) {
      N = parentOf(N, Ctx);
      if (const auto *FD = N.get<FunctionDecl>()) {
        QualType RT = FD->getReturnType();
        if ((RT->isReferenceType() || RT->isPointerType()) &&
            !RT->getPointeeType().isConstQualified())
          U.Effect = ContainerEffect::Opaque;
        return U;
      }
      if (N.get<LambdaExpr>() || (!N.get<Stmt>() && !N.get<Decl>())) {
        U.Effect = ContainerEffect::Opaque;
        return U;
      }
    }
    U.Effect = ContainerEffect::Opaque;
    return U;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
    // Bound to a non-const reference parameter of a constructor.
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      if (CE->getArg(I) == Child && CE->getConstructor() &&
          I < CE->getConstructor()->getNumParams()) {
        QualType PT = CE->getConstructor()->getParamDecl(I)->getType();
        if (PT->isRValueReferenceType() ||
            (PT->isReferenceType() &&
             !PT.getNonReferenceType().isConstQualified()))
          U.Effect = ContainerEffect::Opaque;
      }
    return U;
  }
  if (isa<LambdaExpr>(P)) {
    U.Effect = ContainerEffect::Opaque; // captured: used elsewhere
    return U;
  }
  return U;
}

} // namespace leaklib
} // namespace clang
