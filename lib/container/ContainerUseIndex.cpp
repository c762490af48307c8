//===--- ContainerUseIndex.cpp - leak-tidy -------------------------------===//
#include "lib/container/ContainerUseIndex.h"
#include "lib/core/ParentIndex.h"
#include "lib/core/StorageFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <algorithm>
#include <map>

namespace clang {
namespace leaklib {

namespace {

/// The context a statement runs in.
struct SiteContext {
  const FunctionDecl *Fn = nullptr; ///< enclosing function (lambdas: outer)
  bool StartUp = false;   ///< inside a static initializer or a call_once
  bool Dependent = false; ///< inside an uninstantiated template
  /// Inside a lambda that may run later (not immediately invoked, not the
  /// callable of a call_once): the enclosing function's start-up role does
  /// not carry over.
  const LambdaExpr *Lambda = nullptr;
};

struct Reference {
  const Expr *E; ///< DeclRefExpr or MemberExpr naming the container
  SiteContext Ctx;
};

struct GrowSite {
  const Expr *Call;
  std::string Operation;
  std::vector<const Expr *> Keys;
  bool Keyed;
  SiteContext Ctx;
};

struct Entity {
  const ValueDecl *D = nullptr;
  ContainerKind Kind;
  bool Pointer = false; ///< held through a pointer (GHashTable *, new'ed)
  bool Shrunk = false, Escaped = false, SizeBounded = false;
  std::vector<Reference> Refs;
  std::vector<GrowSite> Grows;
  std::vector<const FunctionDecl *> IterInits; ///< g_hash_table_iter_init
  /// `T &get() { static T X; return X; }`: its calls are uses of X.
  const FunctionDecl *Accessor = nullptr;
};

struct CallSite {
  const Expr *Call; ///< CallExpr or CXXConstructExpr
  SiteContext Ctx;
};

const Expr *skipImplicit(const Expr *E) {
  while (E) {
    const Expr *N = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(N))
      N = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(N))
      N = B->getSubExpr();
    else if (const auto *C = dyn_cast<ExprWithCleanups>(N))
      N = C->getSubExpr();
    if (N == E)
      return E;
    E = N;
  }
  return E;
}

bool isNonConstRefOrPointer(QualType T) {
  if (T.isNull())
    return true;
  if (T->isReferenceType())
    return !T.getNonReferenceType().isConstQualified();
  if (T->isPointerType())
    return !T->getPointeeType().isConstQualified();
  return false;
}

class Analysis : public RecursiveASTVisitor<Analysis> {
public:
  Analysis(ASTContext &Ctx, const ContainerModel &Model,
           const ContainerUseOptions &Opts)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Model(Model), Opts(Opts) {}

  std::vector<UnboundedContainer> run();

  // Traversal ----------------------------------------------------------------
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(Decl *D);
  bool traverseSystemPattern(Decl *D);
  bool traverseSystemMembers(const DeclContext *DC);
  bool systemClassShape(const CXXRecordDecl *RD);
  bool mentionsUserType(QualType T, unsigned Depth) const;
  bool mentionsUserTypeUncached(const Type *Ty, unsigned Depth) const;
  mutable llvm::DenseMap<const Type *, bool> UserTypeMemo;
  bool mentionsUserType(ArrayRef<TemplateArgument> Args, unsigned Depth) const;
  bool TraverseVarDecl(VarDecl *V);
  bool TraverseCallExpr(CallExpr *C);
  bool TraverseLambdaExpr(LambdaExpr *L);
  bool VisitVarDecl(VarDecl *V);
  bool VisitFieldDecl(FieldDecl *F);
  bool VisitCXXRecordDecl(CXXRecordDecl *RD);
  bool VisitDeclRefExpr(DeclRefExpr *E);
  bool VisitMemberExpr(MemberExpr *E);
  bool VisitCallExpr(CallExpr *C);
  bool VisitCXXConstructExpr(CXXConstructExpr *C);
  bool VisitCXXNewExpr(CXXNewExpr *E);
  bool VisitBinaryOperator(BinaryOperator *B);
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S);

private:
  SiteContext here() const {
    SiteContext C;
    C.Fn = FnStack.empty() ? nullptr : FnStack.back();
    C.StartUp = StartUpDepth > 0;
    C.Dependent = C.Fn && C.Fn->isDependentContext();
    C.Lambda = LambdaStack.empty() ? nullptr : LambdaStack.back();
    return C;
  }
  bool inSystemHeader(SourceLocation L) const {
    return L.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(L));
  }
  Entity *entityFor(const ValueDecl *D);
  void noteRecordInstance(QualType T, bool Static);
  bool isOnceCall(const CallExpr *C) const;

  // End of TU ----------------------------------------------------------------
  void classify(Entity &E, const Reference &R);
  void classifyUse(Entity &E, const Expr *Use, bool ViaPointer,
                   const Reference &R);
  void addGrow(Entity &E, const Expr *Call, llvm::StringRef Op,
               llvm::ArrayRef<const Expr *> Args, unsigned FirstKey,
               const Reference &R);
  const Stmt *parentStmt(const Expr *E, const Decl **ParentDecl = nullptr,
                         bool InTemplate = false);
  void propagateInstances();
  const FunctionDecl *accessorOf(const Entity &E, const Expr *Use,
                                 const Reference &R) const;
  bool isStaticOnlyRecord(const RecordDecl *RD) const;
  bool isStartUpOnly(const FunctionDecl *F, unsigned Depth);
  bool isExternal(const Entity &E) const;
  struct KeyInfo {
    bool RunTime = false;
    std::string Source;
  };
  KeyInfo keyOf(const Expr *E, unsigned Depth);
  KeyInfo paramKey(const ParmVarDecl *P);
  KeyInfo paramKeyUncached(const ParmVarDecl *P);
  KeyInfo localKey(const VarDecl *V, unsigned Depth);
  std::string storageOf(const Entity &E, std::string &Owner) const;

  ASTContext &Ctx;
  SourceManager &SM;
  const ContainerModel &Model;
  const ContainerUseOptions &Opts;

  std::vector<const FunctionDecl *> FnStack;
  unsigned StartUpDepth = 0;
  std::vector<const LambdaExpr *> LambdaStack;
  /// Lambdas run at once: immediately invoked in a static initializer, or
  /// handed to a call_once.
  llvm::DenseSet<const LambdaExpr *> StartUpLambdas;
  unsigned RefCount = 0;
  bool GaveUp = false;

  llvm::DenseMap<const ValueDecl *, int> EntityIndex; // -1: not tracked
  std::vector<Entity> Entities;
  llvm::DenseMap<const FunctionDecl *, std::vector<CallSite>> Calls;
  llvm::DenseSet<const FunctionDecl *> AddressTaken, OnceCallables,
      IterShrinkFns;
  llvm::DenseSet<const Expr *> CalleeRefs, StaticNews;
  llvm::DenseSet<const RecordDecl *> StaticInst, ShortLived;
  std::vector<std::pair<const RecordDecl *, const RecordDecl *>> Contains;
  llvm::DenseMap<const VarDecl *, const Expr *> LoopRanges;
  llvm::DenseMap<const FunctionDecl *, int> StartUpMemo; // 0 busy, 1, 2
  llvm::DenseMap<const VarDecl *, KeyInfo> LocalMemo;
  llvm::DenseMap<const ParmVarDecl *, bool> ParamMemo; // true: run-time
  unsigned ParamHops = 0; ///< callers followed from the current key
};

// --- traversal -------------------------------------------------------------

bool Analysis::TraverseDecl(Decl *D) {
  if (GaveUp)
    return false;
  if (D && !isa<TranslationUnitDecl>(D) && inSystemHeader(D->getLocation()) &&
      !isInInstantiation(*D))
    return traverseSystemPattern(D);
  const auto *F = dyn_cast_or_null<FunctionDecl>(D);
  if (F)
    FnStack.push_back(F);
  bool R = RecursiveASTVisitor::TraverseDecl(D);
  if (F)
    FnStack.pop_back();
  return R;
}

/// Library code (system headers) matters only where it is instantiated with
/// user types, and there for two facts: which library classes contain a user
/// object (`std::optional<Cache>`, `std::pair<K, Cache>`: their fields and
/// bases, for static instances), and which user classes the library
/// constructs (`std::vector<Cache>`, `std::make_unique<Cache>()`: such objects
/// are short-lived). The construction happens in a function template
/// instantiated with the class (`allocator_traits::construct<Cache>`,
/// `make_unique<Cache>`), so of library code only the bodies of function
/// template instantiations that mention a user type are walked; of class
/// instantiations that mention one, the fields, bases and member templates.
/// Templates, non-template library code and instantiations with library
/// types only (`std::vector<std::string>`) cannot name user types and are
/// skipped: most of a translation unit.
bool Analysis::traverseSystemPattern(Decl *D) {
  if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D)) {
    if (CTD == CTD->getCanonicalDecl())
      for (ClassTemplateSpecializationDecl *S : CTD->specializations())
        if (S->getSpecializationKind() == TSK_ImplicitInstantiation &&
            !systemClassShape(S))
          return false;
    return true;
  }
  if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D)) {
    if (FTD == FTD->getCanonicalDecl())
      for (FunctionDecl *S : FTD->specializations())
        if (S->isTemplateInstantiation())
          if (const TemplateArgumentList *Args =
                  S->getTemplateSpecializationArgs())
            if (mentionsUserType(Args->asArray(), 0) && !TraverseDecl(S))
              return false;
    return true;
  }
  if (isa<NamespaceDecl>(D) || isa<LinkageSpecDecl>(D) || isa<ExportDecl>(D))
    return traverseSystemMembers(cast<DeclContext>(D));
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
    if (!isa<ClassTemplatePartialSpecializationDecl>(RD))
      return systemClassShape(RD);
  return true;
}

/// A library class (or class instantiation): its fields and bases when it
/// mentions a user type, then its member templates and nested classes.
bool Analysis::systemClassShape(const CXXRecordDecl *RD) {
  if (GaveUp)
    return false;
  if (RD->isLambda() || RD->isInjectedClassName())
    return true;
  const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (!S)
    return traverseSystemMembers(RD); // std::thread: member templates
  // An instantiation with library types only (std::vector<std::string>)
  // holds nothing of the user's, nor do its member templates construct
  // anything that matters here.
  if (!mentionsUserType(S->getTemplateArgs().asArray(), 0))
    return true;
  if (RD->hasDefinition() && RD == RD->getDefinition()) {
    VisitCXXRecordDecl(const_cast<CXXRecordDecl *>(RD));
    for (FieldDecl *F : RD->fields())
      VisitFieldDecl(F);
  }
  return traverseSystemMembers(RD);
}

bool Analysis::traverseSystemMembers(const DeclContext *DC) {
  for (Decl *Child : DC->decls())
    if ((isa<NamespaceDecl>(Child) || isa<LinkageSpecDecl>(Child) ||
         isa<ExportDecl>(Child) || isa<CXXRecordDecl>(Child) ||
         isa<ClassTemplateDecl>(Child) || isa<FunctionTemplateDecl>(Child)) &&
        !traverseSystemPattern(Child))
      return false;
  return true;
}

/// Whether \p T names a type declared outside system headers (a user class
/// or enum, a lambda), directly or through pointers, arrays, functions or
/// template arguments.
bool Analysis::mentionsUserType(QualType T, unsigned Depth) const {
  if (T.isNull() || Depth > 12)
    return false;
  const Type *Ty = T.getCanonicalType().getTypePtr();
  auto Known = UserTypeMemo.find(Ty);
  if (Known != UserTypeMemo.end())
    return Known->second;
  bool R = mentionsUserTypeUncached(Ty, Depth);
  UserTypeMemo[Ty] = R;
  return R;
}

bool Analysis::mentionsUserTypeUncached(const Type *Ty, unsigned Depth) const {
  if (Ty->isPointerType() || Ty->isReferenceType())
    return mentionsUserType(Ty->getPointeeType(), Depth + 1);
  if (const auto *MP = dyn_cast<MemberPointerType>(Ty))
    return mentionsUserType(MP->getPointeeType(), Depth + 1) ||
           (MP->getMostRecentCXXRecordDecl() &&
            !inSystemHeader(MP->getMostRecentCXXRecordDecl()->getLocation()));
  if (const ArrayType *AT = Ty->getAsArrayTypeUnsafe())
    return mentionsUserType(AT->getElementType(), Depth + 1);
  if (const auto *FT = dyn_cast<FunctionProtoType>(Ty)) {
    if (mentionsUserType(FT->getReturnType(), Depth + 1))
      return true;
    for (QualType P : FT->param_types())
      if (mentionsUserType(P, Depth + 1))
        return true;
    return false;
  }
  if (const TagDecl *TD = Ty->getAsTagDecl()) {
    if (!inSystemHeader(TD->getLocation()))
      return true;
    if (const auto *S = dyn_cast<ClassTemplateSpecializationDecl>(TD))
      return mentionsUserType(S->getTemplateArgs().asArray(), Depth + 1);
  }
  return false;
}

bool Analysis::mentionsUserType(ArrayRef<TemplateArgument> Args,
                                unsigned Depth) const {
  if (Depth > 12)
    return false;
  for (const TemplateArgument &A : Args)
    switch (A.getKind()) {
    case TemplateArgument::Type:
      if (mentionsUserType(A.getAsType(), Depth))
        return true;
      break;
    case TemplateArgument::Pack:
      if (mentionsUserType(A.pack_elements(), Depth + 1))
        return true;
      break;
    default:
      break;
    }
  return false;
}

bool Analysis::TraverseVarDecl(VarDecl *V) {
  bool Init =
      V && !isa<ParmVarDecl>(V) && hasProgramLifetime(V) && V->hasInit();
  if (Init)
    if (const auto *C = dyn_cast<CallExpr>(skipImplicit(V->getInit()))) {
      // static bool Done = [] { ... }();
      const Expr *Callee = C->getCallee();
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(C))
        if (OC->getOperator() == OO_Call && OC->getNumArgs() > 0)
          Callee = OC->getArg(0);
      if (const auto *L = dyn_cast<LambdaExpr>(skipImplicit(Callee)))
        StartUpLambdas.insert(L);
    }
  if (Init)
    ++StartUpDepth;
  bool R = RecursiveASTVisitor::TraverseVarDecl(V);
  if (Init)
    --StartUpDepth;
  return R;
}

bool Analysis::isOnceCall(const CallExpr *C) const {
  const FunctionDecl *FD = C ? C->getDirectCallee() : nullptr;
  return FD && Opts.OnceFunctions.matches(FD);
}

bool Analysis::TraverseCallExpr(CallExpr *C) {
  bool Once = isOnceCall(C);
  if (Once) {
    ++StartUpDepth;
    for (const Expr *A : C->arguments()) {
      // Possibly wrapped: std::function<void()> F = [&] { ... }.
      const Expr *S = skipImplicit(A);
      for (unsigned I = 0; I < 3; ++I)
        if (const auto *CE = dyn_cast<CXXConstructExpr>(S);
            CE && CE->getNumArgs() == 1)
          S = skipImplicit(CE->getArg(0));
      if (const auto *L = dyn_cast<LambdaExpr>(S))
        StartUpLambdas.insert(L);
    }
  }
  bool R = RecursiveASTVisitor::TraverseCallExpr(C);
  if (Once)
    --StartUpDepth;
  return R;
}

bool Analysis::TraverseLambdaExpr(LambdaExpr *L) {
  // A lambda body runs when the lambda is called, maybe long after the
  // code around it (a handler registered at start-up).
  unsigned SavedStartUp = StartUpDepth;
  bool Later = !StartUpLambdas.count(L);
  StartUpDepth = Later ? 0 : 1;
  if (Later)
    LambdaStack.push_back(L);
  bool R = RecursiveASTVisitor::TraverseLambdaExpr(L);
  if (Later)
    LambdaStack.pop_back();
  StartUpDepth = SavedStartUp;
  return R;
}

void Analysis::noteRecordInstance(QualType T, bool Static) {
  if (T.isNull() || T->isDependentType())
    return;
  const Type *Base = T->getBaseElementTypeUnsafe();
  if (!Base)
    return;
  if (const RecordDecl *RD = Base->getAsRecordDecl()) {
    RD = RD->getDefinition() ? RD->getDefinition() : RD;
    (Static ? StaticInst : ShortLived).insert(RD);
  }
}

bool Analysis::VisitVarDecl(VarDecl *V) {
  QualType T = V->getType();
  if (T->isReferenceType())
    return true;
  if (T->isPointerType()) {
    // `static Registry *R = new Registry;` -- a leaky singleton.
    if (hasProgramLifetime(V) && V->getInit())
      if (const auto *N = dyn_cast<CXXNewExpr>(skipImplicit(V->getInit())))
        StaticNews.insert(N);
    return true;
  }
  if (V->getDeclContext()->isDependentContext())
    return true;
  noteRecordInstance(T, hasProgramLifetime(V));
  return true;
}

bool Analysis::VisitFieldDecl(FieldDecl *F) {
  QualType T = F->getType();
  if (T->isReferenceType() || T->isPointerType() || T->isDependentType())
    return true;
  if (const RecordDecl *Inner =
          T->getBaseElementTypeUnsafe()->getAsRecordDecl())
    Contains.emplace_back(F->getParent(), Inner->getDefinition()
                                              ? Inner->getDefinition()
                                              : Inner);
  return true;
}

bool Analysis::VisitCXXRecordDecl(CXXRecordDecl *RD) {
  if (!RD->hasDefinition() || RD != RD->getDefinition() ||
      RD->isDependentType())
    return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
      if (Base->hasDefinition())
        Contains.emplace_back(RD, Base->getDefinition());
  return true;
}

bool Analysis::VisitCXXNewExpr(CXXNewExpr *E) {
  if (!StaticNews.count(E))
    noteRecordInstance(E->getAllocatedType(), /*Static=*/false);
  else
    noteRecordInstance(E->getAllocatedType(), /*Static=*/true);
  return true;
}

bool Analysis::VisitBinaryOperator(BinaryOperator *B) {
  // `if (!Instance) Instance = new Registry;`
  if (B->getOpcode() != BO_Assign)
    return true;
  if (const auto *L = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts()))
    if (const auto *V = dyn_cast<VarDecl>(L->getDecl()))
      if (hasProgramLifetime(V))
        if (const auto *N = dyn_cast<CXXNewExpr>(skipImplicit(B->getRHS())))
          StaticNews.insert(N);
  return true;
}

bool Analysis::VisitCXXForRangeStmt(CXXForRangeStmt *S) {
  if (const VarDecl *LV = S->getLoopVariable())
    if (S->getRangeInit())
      LoopRanges[LV] = S->getRangeInit();
  return true;
}

bool Analysis::VisitCallExpr(CallExpr *C) {
  SiteContext Here = here();
  if (const auto *Callee =
          dyn_cast_or_null<DeclRefExpr>(C->getCallee()->IgnoreParenImpCasts()))
    CalleeRefs.insert(Callee);
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD)
    return true;
  if (isOnceCall(C)) {
    for (const Expr *A : C->arguments()) {
      const Expr *S = A->IgnoreParenImpCasts();
      if (const auto *U = dyn_cast<UnaryOperator>(S))
        if (U->getOpcode() == UO_AddrOf)
          S = U->getSubExpr()->IgnoreParenImpCasts();
      if (const auto *R = dyn_cast<DeclRefExpr>(S)) {
        if (const auto *F = dyn_cast<FunctionDecl>(R->getDecl())) {
          CalleeRefs.insert(R);
          OnceCallables.insert(F->getCanonicalDecl());
        } else if (const auto *V = dyn_cast<VarDecl>(R->getDecl())) {
          // auto Init = [&] { ... }; std::call_once(Flag, Init);
          if (V->getInit())
            if (const auto *L =
                    dyn_cast<LambdaExpr>(skipImplicit(V->getInit())))
              StartUpLambdas.insert(L);
        }
      }
    }
  }
  if (const IdentifierInfo *II = FD->getIdentifier()) {
    if (II->getName() == "g_hash_table_iter_remove" ||
        II->getName() == "g_hash_table_iter_steal")
      IterShrinkFns.insert(Here.Fn);
  }
  Calls[FD->getCanonicalDecl()].push_back({C, Here});
  return true;
}

bool Analysis::VisitCXXConstructExpr(CXXConstructExpr *C) {
  SiteContext Here = here();
  if (isa<CXXTemporaryObjectExpr>(C))
    noteRecordInstance(C->getType(), /*Static=*/false);
  if (!Here.Dependent && C->getConstructor())
    Calls[C->getConstructor()->getCanonicalDecl()].push_back({C, Here});
  return true;
}

Entity *Analysis::entityFor(const ValueDecl *D) {
  auto It = EntityIndex.find(D);
  if (It != EntityIndex.end())
    return It->second < 0 ? nullptr : &Entities[It->second];
  int &Slot = EntityIndex[D];
  Slot = -1;
  if (inSystemHeader(D->getLocation()) || D->isInvalidDecl())
    return nullptr;
  std::optional<ContainerKind> K;
  bool Pointer = false;
  if (const auto *V = dyn_cast<VarDecl>(D)) {
    if (isa<ParmVarDecl>(V) || !hasProgramLifetime(V) ||
        V->getDeclContext()->isDependentContext())
      return nullptr;
    QualType T = V->getType();
    if (T->isReferenceType()) {
      // static auto &Cache = *new std::map<...>;
      const auto *U = dyn_cast_or_null<UnaryOperator>(
          V->getInit() ? skipImplicit(V->getInit()) : nullptr);
      if (!U || U->getOpcode() != UO_Deref ||
          !isa<CXXNewExpr>(skipImplicit(U->getSubExpr())))
        return nullptr;
      K = Model.classifyObjectType(T.getNonReferenceType());
    } else if (T->isPointerType()) {
      K = Model.classifyPointerType(T);
      Pointer = true;
    } else {
      K = Model.classifyObjectType(T);
    }
  } else if (const auto *F = dyn_cast<FieldDecl>(D)) {
    if (F->getParent()->isDependentContext() ||
        Model.isBoundedType(F->getParent()))
      return nullptr;
    QualType T = F->getType();
    if (T->isPointerType()) {
      K = Model.classifyPointerType(T);
      Pointer = true;
    } else if (!T->isReferenceType()) {
      K = Model.classifyObjectType(T);
    }
  }
  if (!K || K->FiniteKeys)
    return nullptr;
  Slot = static_cast<int>(Entities.size());
  Entities.emplace_back();
  Entity &E = Entities.back();
  E.D = D;
  E.Kind = *K;
  E.Pointer = Pointer;
  return &E;
}

bool Analysis::VisitDeclRefExpr(DeclRefExpr *E) {
  const ValueDecl *D = E->getDecl();
  if (const auto *F = dyn_cast<FunctionDecl>(D)) {
    if (!CalleeRefs.count(E))
      AddressTaken.insert(F->getCanonicalDecl());
    return true;
  }
  if (!isa<VarDecl>(D))
    return true;
  if (Entity *En = entityFor(D)) {
    if (++RefCount > Opts.MaxReferences) {
      GaveUp = true;
      return false;
    }
    En->Refs.push_back({E, here()});
  }
  return true;
}

bool Analysis::VisitMemberExpr(MemberExpr *E) {
  const ValueDecl *D = E->getMemberDecl();
  if (const auto *M = dyn_cast<CXXMethodDecl>(D)) {
    // A virtual function may be called through a base: unknown callers.
    if (M->isVirtual())
      AddressTaken.insert(M->getCanonicalDecl());
    return true;
  }
  if (!isa<FieldDecl>(D) && !isa<VarDecl>(D))
    return true;
  if (Entity *En = entityFor(D)) {
    if (++RefCount > Opts.MaxReferences) {
      GaveUp = true;
      return false;
    }
    En->Refs.push_back({E, here()});
  }
  return true;
}

// --- classification of uses -------------------------------------------------

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

bool isSizeQuery(llvm::StringRef N) {
  return N == "size" || N == "length" || N == "count" || N == "Count" ||
         N == "g_hash_table_size" || N == "g_tree_nnodes";
}

bool isZeroOrOne(const Expr *E, ASTContext &Ctx) {
  Expr::EvalResult R;
  if (E->isValueDependent() || !E->EvaluateAsInt(R, Ctx))
    return false;
  return R.Val.getInt() == 0 || R.Val.getInt() == 1;
}

/// Whether the value of call \p C (a size query) is compared with a bound
/// (anything but 0 or 1, which only test for emptiness).
bool comparedWithBound(const Expr *C, ASTContext &Ctx) {
  const Expr *Cur = C;
  for (unsigned I = 0; I < 4; ++I) {
    llvm::ArrayRef<DynTypedNode> Ps = ParentIndex::get(Ctx).parents(*Cur);
    if (Ps.empty())
      return false;
    const auto *P = Ps[0].get<Expr>();
    if (!P)
      return false;
    if (isa<ImplicitCastExpr, ParenExpr>(P)) {
      Cur = P;
      continue;
    }
    const Expr *Other = nullptr;
    if (const auto *B = dyn_cast<BinaryOperator>(P)) {
      if (!B->isComparisonOp())
        return false;
      Other = B->getLHS()->IgnoreParenImpCasts() == Cur->IgnoreParenImpCasts()
                  ? B->getRHS()
                  : B->getLHS();
    } else if (const auto *O = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (!O->isComparisonOp() || O->getNumArgs() != 2)
        return false;
      Other = O->getArg(0)->IgnoreParenImpCasts() == Cur->IgnoreParenImpCasts()
                  ? O->getArg(1)
                  : O->getArg(0);
    } else {
      return false;
    }
    return !isZeroOrOne(Other->IgnoreParenImpCasts(), Ctx);
  }
  return false;
}

/// The key of a map entry: {K, V}, std::pair(K, V), std::make_pair(K, V),
/// std::forward_as_tuple(K), qMakePair(K, V) give K; anything else itself.
const Expr *keyPart(const Expr *A) {
  const Expr *S = skipImplicit(A);
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
    S = skipImplicit(Next);
  }
  return A;
}

void Analysis::addGrow(Entity &E, const Expr *Call, llvm::StringRef Op,
                       llvm::ArrayRef<const Expr *> Args, unsigned FirstKey,
                       const Reference &R) {
  if (R.Ctx.Dependent)
    return;
  GrowSite G;
  G.Call = Call;
  G.Operation = Op.str();
  G.Keyed = E.Kind.Associative;
  G.Ctx = R.Ctx;
  for (unsigned I = FirstKey; I < Args.size(); ++I) {
    const Expr *A = Args[I];
    if (!A || isa<CXXDefaultArgExpr>(A))
      continue;
    // Skip an insertion position: an iterator or a call on the container.
    if (I == FirstKey && ContainerModel::takesPositionFirst(Op) &&
        Args.size() > FirstKey + 1) {
      QualType T = A->getType();
      if (const auto *RD = T->getAsCXXRecordDecl())
        if (RD->getName().contains("iterator") ||
            RD->getName().contains("Iterator"))
          continue;
      if (T->isIntegerType() && !E.Kind.Associative)
        continue; // QList::insert(i, value), std::string::insert(pos, s)
    }
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

void Analysis::classify(Entity &E, const Reference &R) {
  classifyUse(E, R.E, E.Pointer, R);
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
      if (IC->getType().isConstQualified() ||
          (IC->getType()->isPointerType() &&
           IC->getType()->getPointeeType().isConstQualified()))
        ConstView = true;
      Cur = IC;
      continue;
    }
    if (isa_and_nonnull<ParenExpr>(P)) {
      Cur = cast<Expr>(P);
      continue;
    }
    break;
  }
  if (PD) {
    if (const auto *V = dyn_cast<VarDecl>(PD)) {
      // The hidden range variable of a range-for reads the container.
      if (V->isImplicit() || ConstView || !isNonConstRefOrPointer(V->getType()))
        return;
      E.Escaped = true; // a mutable alias: its uses are not followed
    }
    return;
  }
  if (!P)
    return;

  // A method call on the container.
  auto Method = [&](llvm::StringRef Name, const Expr *Call,
                    llvm::ArrayRef<const Expr *> Args) {
    switch (Model.methodOp(E.Kind, Name)) {
    case ContainerOp::Grow: {
      // A const overload (QHash's const operator[]) cannot grow.
      const FunctionDecl *Callee = nullptr;
      if (const auto *CE = dyn_cast_or_null<CallExpr>(Call))
        Callee = CE->getDirectCallee();
      if (const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Callee);
          MD && MD->isConst())
        return;
      if (Call)
        addGrow(E, Call, Name, Args, 0, R);
      return;
    }
    case ContainerOp::Shrink:
      E.Shrunk = true;
      return;
    case ContainerOp::Neutral:
      if (isSizeQuery(Name) && Args.empty() && Call &&
          comparedWithBound(Call, Ctx))
        E.SizeBounded = true;
      return;
    }
  };

  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    if (ME->getBase() != Cur || ME->isArrow() != ViaPointer)
      return; // e.g. `Cache.Field` of a user container: a read
    const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl());
    if (!MD)
      return;
    const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(
        parentStmt(ME, nullptr, R.Ctx.Dependent));
    std::vector<const Expr *> Args;
    if (Call)
      Args.assign(Call->arg_begin(), Call->arg_end());
    Method(MD->getNameAsString(), Call, Args);
    return;
  }
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
  if (const auto *U = dyn_cast<UnaryOperator>(P)) {
    if (U->getOpcode() == UO_Deref && ViaPointer) {
      classifyUse(E, U, /*ViaPointer=*/false, R);
      return;
    }
    if (U->getOpcode() == UO_AddrOf && !ViaPointer) {
      // &Cache: follow the pointer once.
      const Decl *PD2 = nullptr;
      const Stmt *P2 = parentStmt(U, &PD2);
      while (isa_and_nonnull<ImplicitCastExpr, ParenExpr>(P2)) {
        if (const auto *IC = dyn_cast<ImplicitCastExpr>(P2))
          if (IC->getType()->isPointerType() &&
              IC->getType()->getPointeeType().isConstQualified())
            return; // a pointer to const
        P2 = parentStmt(cast<Expr>(P2), &PD2);
      }
      if (const auto *ME = dyn_cast_or_null<MemberExpr>(P2)) {
        if (ME->isArrow()) {
          classifyUse(E, U, /*ViaPointer=*/true, R);
          return;
        }
      }
      if (const auto *V = dyn_cast_or_null<VarDecl>(PD2))
        if (!isNonConstRefOrPointer(V->getType()))
          return;
      E.Escaped = true;
      return;
    }
    return; // !p, p++, ...: reads
  }
  if (isa<CXXDeleteExpr>(P)) {
    E.Shrunk = true;
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(P)) {
    if (B->getOpcode() == BO_Assign && ViaPointer) {
      if (B->getLHS()->IgnoreParenImpCasts() == Cur->IgnoreParenImpCasts()) {
        const Expr *RHS = skipImplicit(B->getRHS());
        if (RHS->isNullPointerConstant(Ctx,
                                       Expr::NPC_ValueDependentIsNotNull)) {
          E.Shrunk = true; // dropped (and, we assume, freed)
          return;
        }
        if (isa<CXXNewExpr>(RHS))
          return;
        if (const auto *C = dyn_cast<CallExpr>(RHS))
          if (const FunctionDecl *FD = C->getDirectCallee())
            if (FD->getIdentifier() &&
                (FD->getName().starts_with("g_hash_table_new") ||
                 FD->getName().starts_with("g_tree_new") ||
                 FD->getName().starts_with("g_ptr_array_new") ||
                 FD->getName().starts_with("g_ptr_array_sized_new") ||
                 FD->getName().starts_with("g_array_new") ||
                 FD->getName().starts_with("g_array_sized_new")))
              return;
        E.Escaped = true; // replaced by something we do not know
        return;
      }
      E.Escaped = true; // copied into another pointer
      return;
    }
    return; // comparisons and the like
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
    if (OC->getNumArgs() >= 1 && OC->getArg(0) == Cur && !ViaPointer) {
      std::vector<const Expr *> Args(OC->arg_begin() + 1, OC->arg_end());
      switch (OC->getOperator()) {
      case OO_Subscript:
        Method("operator[]", OC, Args);
        return;
      case OO_Equal:
        E.Shrunk = true;
        return;
      case OO_PlusEqual:
        Method("operator+=", OC, Args);
        return;
      case OO_LessLess:
        Method("operator<<", OC, Args);
        return;
      default:
        break;
      }
      if (isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()))
        return; // another member operator (==, ...): a read
    }
  }
  if (const auto *C = dyn_cast<CallExpr>(P)) {
    unsigned Index = 0;
    bool Found = false;
    for (unsigned I = 0; I < C->getNumArgs(); ++I)
      if (C->getArg(I) == Cur) {
        Index = I;
        Found = true;
        break;
      }
    if (!Found)
      return; // the callee itself (a call through a pointer)
    const FunctionDecl *FD = C->getDirectCallee();
    if (!FD) {
      if (!ConstView)
        E.Escaped = true;
      return;
    }
    if (Model.isShrinkingFreeFunction(FD)) {
      E.Shrunk = true;
      return;
    }
    if (FD->isInStdNamespace() && FD->getIdentifier() &&
        (FD->getName() == "move" || FD->getName() == "forward")) {
      E.Shrunk = true; // moved out
      return;
    }
    if (ViaPointer && FD->getIdentifier()) {
      if (const CFunctionRole *Role = Model.cFunctionRole(FD->getName())) {
        if (Role->IterInit && Index == Role->TableArg) {
          E.IterInits.push_back(R.Ctx.Fn);
          return;
        }
        if (Index != Role->TableArg)
          return;
        if (Role->Op == ContainerOp::Shrink) {
          E.Shrunk = true;
        } else if (Role->Op == ContainerOp::Grow) {
          std::vector<const Expr *> Args;
          if (Role->KeyArg >= 0 &&
              static_cast<unsigned>(Role->KeyArg) < C->getNumArgs())
            Args.push_back(C->getArg(Role->KeyArg));
          addGrow(E, C, FD->getName(), Args, 0, R);
        }
        return;
      }
      llvm::StringRef N = FD->getName();
      if (N.starts_with("g_hash_table_") || N.starts_with("g_tree_") ||
          N.starts_with("g_ptr_array_") || N.starts_with("g_array_")) {
        if (isSizeQuery(N) && comparedWithBound(C, Ctx))
          E.SizeBounded = true;
        return; // lookups, iteration, sizes
      }
    }
    unsigned ParamIndex = Index;
    if (isa<CXXOperatorCallExpr>(C) && isa<CXXMethodDecl>(FD)) {
      if (Index == 0)
        return;
      ParamIndex = Index - 1;
    }
    if (ParamIndex >= FD->getNumParams()) {
      if (!ConstView && (ViaPointer || Cur->isGLValue()))
        E.Escaped = true; // variadic
      return;
    }
    if (!ConstView &&
        isNonConstRefOrPointer(FD->getParamDecl(ParamIndex)->getType()) &&
        (FD->getParamDecl(ParamIndex)->getType()->isReferenceType() ||
         ViaPointer))
      E.Escaped = true;
    return;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    for (unsigned I = 0; I < CE->getNumArgs(); ++I)
      if (CE->getArg(I) == Cur) {
        if (Ctor && I < Ctor->getNumParams() && !ConstView &&
            isNonConstRefOrPointer(Ctor->getParamDecl(I)->getType()))
          E.Escaped = true;
        return;
      }
    return;
  }
  if (isa<ReturnStmt>(P)) {
    if (!ConstView && (ViaPointer || Cur->isGLValue())) {
      if (const FunctionDecl *A = accessorOf(E, Use, R)) {
        E.Accessor = A; // its callers are followed instead
        return;
      }
      E.Escaped = true; // handed to callers by reference or pointer
    }
    return;
  }
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(P)) {
    // static_cast<const T &>(C) reads; anything else may hand it on.
    QualType T = Cast->getTypeAsWritten();
    bool ConstTarget = T->isReferenceType() || T->isPointerType()
                           ? !isNonConstRefOrPointer(T)
                           : true; // (void)C, or a copy
    if (!ConstView && !ConstTarget)
      E.Escaped = true;
    return;
  }
  if (isa<InitListExpr, ConditionalOperator, BinaryConditionalOperator,
          LambdaExpr, CXXStdInitializerListExpr>(P)) {
    if (!ConstView)
      E.Escaped = true;
    return;
  }
  // Conditions, sizeof, discarded reads.
}

const FunctionDecl *Analysis::accessorOf(const Entity &E, const Expr *Use,
                                         const Reference &R) const {
  const auto *V = dyn_cast<VarDecl>(E.D);
  const FunctionDecl *F = R.Ctx.Fn;
  if (!V || !F || R.Ctx.Lambda || R.Ctx.Dependent || !V->isStaticLocal() ||
      V->getDeclContext() != F || Use != R.E ||
      !F->getReturnType()->isLValueReferenceType() || isa<CXXMethodDecl>(F))
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

// --- instances and start-up
// ---------------------------------------------------

void Analysis::propagateInstances() {
  // Outer -> inner (fields, bases): an instance of the outer class holds an
  // instance of the inner one with the same lifetime.
  llvm::DenseMap<const RecordDecl *, std::vector<const RecordDecl *>> Edges;
  for (auto &[Outer, Inner] : Contains)
    Edges[Outer].push_back(Inner);
  for (auto *Set : {&StaticInst, &ShortLived}) {
    std::vector<const RecordDecl *> Work(Set->begin(), Set->end());
    while (!Work.empty()) {
      const RecordDecl *RD = Work.back();
      Work.pop_back();
      auto It = Edges.find(RD);
      if (It == Edges.end())
        continue;
      for (const RecordDecl *Inner : It->second)
        if (Set->insert(Inner).second)
          Work.push_back(Inner);
    }
  }
}

bool Analysis::isStaticOnlyRecord(const RecordDecl *RD) const {
  if (RD->getDefinition())
    RD = RD->getDefinition();
  return StaticInst.count(RD) && !ShortLived.count(RD);
}

bool Analysis::isStartUpOnly(const FunctionDecl *F, unsigned Depth) {
  if (!F)
    return false;
  F = F->getCanonicalDecl();
  if (OnceCallables.count(F))
    return true;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(F))
    if (isStaticOnlyRecord(Ctor->getParent()))
      return true;
  if (F->isMain() || AddressTaken.count(F) || Depth > 8)
    return false;
  auto Memo = StartUpMemo.find(F);
  if (Memo != StartUpMemo.end())
    return Memo->second == 1;
  StartUpMemo[F] = 0; // recursion: not start-up
  bool Result = false;
  auto It = Calls.find(F);
  if (It != Calls.end() && !It->second.empty()) {
    Result = true;
    for (const CallSite &S : It->second) {
      if (S.Ctx.StartUp || S.Ctx.Dependent)
        continue;
      if (!S.Ctx.Fn || (S.Ctx.Lambda && !StartUpLambdas.count(S.Ctx.Lambda)) ||
          !isStartUpOnly(S.Ctx.Fn, Depth + 1) ||
          S.Ctx.Fn->getCanonicalDecl() == F) {
        Result = false;
        break;
      }
    }
  }
  StartUpMemo[F] = Result ? 1 : 2;
  return Result;
}

bool Analysis::isExternal(const Entity &E) const {
  auto InMain = [&](SourceLocation L) {
    return SM.isInMainFile(SM.getExpansionLoc(L));
  };
  if (const auto *V = dyn_cast<VarDecl>(E.D)) {
    if (V->isStaticLocal()) {
      const auto *F = dyn_cast<FunctionDecl>(V->getDeclContext());
      return F && F->isInlined() && F->isExternallyVisible() &&
             !InMain(F->getLocation());
    }
    if (!V->isExternallyVisible())
      return false;
    if (V->isInline())
      return true;
    for (const VarDecl *R : V->redecls())
      if (!InMain(R->getLocation()))
        return true;
    return false;
  }
  const auto *F = cast<FieldDecl>(E.D);
  const RecordDecl *RD = F->getParent();
  if (InMain(RD->getLocation()) || !RD->isExternallyVisible())
    return false;
  if (F->getAccess() == AS_public || F->getAccess() == AS_none)
    return true;
  // A private member of a class from a header: other translation units
  // can reach it through member functions and friends not defined here.
  if (const auto *CXX = dyn_cast<CXXRecordDecl>(RD)) {
    if (CXX->hasFriends())
      return true;
    for (const CXXMethodDecl *M : CXX->methods())
      if (!M->isImplicit() && !M->isDefaulted() && !M->isDeleted() &&
          !M->isPureVirtual() && !M->hasBody())
        return true;
  }
  return false;
}

// --- keys ------------------------------------------------------------------

Analysis::KeyInfo Analysis::paramKey(const ParmVarDecl *P) {
  KeyInfo RunTime{true, "parameter '" + P->getNameAsString() + "'"};
  // Each parameter is judged once (a cycle through callers counts as
  // run-time), which keeps the walk over call sites linear.
  auto Memo = ParamMemo.find(P);
  if (Memo != ParamMemo.end())
    return Memo->second ? RunTime : KeyInfo{};
  ParamMemo[P] = true;
  KeyInfo K = paramKeyUncached(P);
  ParamMemo[P] = K.RunTime;
  return K.RunTime ? RunTime : KeyInfo{};
}

Analysis::KeyInfo Analysis::paramKeyUncached(const ParmVarDecl *P) {
  KeyInfo RunTime{true, "parameter '" + P->getNameAsString() + "'"};
  const auto *F = dyn_cast<FunctionDecl>(P->getDeclContext());
  if (!F || ParamHops > 64)
    return RunTime;
  F = F->getCanonicalDecl();
  if (F->isMain())
    return {}; // the command line: finite, given once at start-up
  if (AddressTaken.count(F))
    return RunTime;
  auto It = Calls.find(F);
  if (It == Calls.end() || It->second.empty() || It->second.size() > 64)
    return RunTime;
  unsigned Index = P->getFunctionScopeIndex();
  unsigned Outside = 0;
  for (const CallSite &S : It->second) {
    // Template patterns are seen through their instantiations; recursive
    // calls only pass on what the outside callers gave.
    if (S.Ctx.Dependent || (S.Ctx.Fn && S.Ctx.Fn->getCanonicalDecl() == F))
      continue;
    ++Outside;
    const Expr *Arg = nullptr;
    if (const auto *C = dyn_cast<CallExpr>(S.Call)) {
      unsigned I = Index;
      if (isa<CXXOperatorCallExpr>(C) && isa<CXXMethodDecl>(F))
        ++I;
      if (I < C->getNumArgs())
        Arg = C->getArg(I);
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(S.Call)) {
      if (Index < CE->getNumArgs())
        Arg = CE->getArg(Index);
    }
    if (!Arg)
      continue;
    ++ParamHops;
    KeyInfo K = keyOf(Arg, 0); // a new expression: its own nesting budget
    --ParamHops;
    if (K.RunTime)
      return RunTime;
  }
  if (!Outside)
    return RunTime;
  return {}; // every caller passes a constant
}

/// Functions that fill a variable passed by reference from outside data.
bool isInputFunction(llvm::StringRef N) {
  static const char *const Names[] = {
      "getline", "read",  "recv",       "recvfrom", "recvmsg", "fgets",
      "fread",   "scanf", "fscanf",     "sscanf",   "getenv",  "readLine",
      "readAll", "get",   "operator>>", "pread",    "gets"};
  for (const char *S : Names)
    if (N == S)
      return true;
  return false;
}

Analysis::KeyInfo Analysis::localKey(const VarDecl *V, unsigned Depth) {
  auto It = LocalMemo.find(V);
  if (It != LocalMemo.end())
    return It->second;
  std::string Name = "variable '" + V->getNameAsString() + "'";
  KeyInfo Result{true, Name};
  LocalMemo[V] = Result; // recursion guard
  const Expr *Init = V->getInit();
  KeyInfo InitKey = Init ? keyOf(Init, Depth + 1) : KeyInfo{};
  if (InitKey.RunTime) {
    Result.Source = Name + " (from " + InitKey.Source + ")";
  } else if (const auto *F = dyn_cast<FunctionDecl>(V->getDeclContext());
             F && F->hasBody()) {
    // Constant at the start: is it changed later? Look at its uses.
    bool Modified = false;
    std::string Filler;
    llvm::SmallVector<const Stmt *, 64> Work{F->getBody()};
    unsigned Budget = 20000;
    while (!Work.empty() && Budget--) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      for (const Stmt *Child : S->children())
        Work.push_back(Child);
      const auto *DRE = dyn_cast<DeclRefExpr>(S);
      if (!DRE || DRE->getDecl() != V)
        continue;
      const Expr *Cur = DRE;
      const Stmt *P = parentStmt(Cur);
      while (const auto *IC = dyn_cast_or_null<ImplicitCastExpr>(P)) {
        if (IC->getCastKind() == CK_LValueToRValue)
          break;
        Cur = IC;
        P = parentStmt(Cur);
      }
      if (!P || isa<ImplicitCastExpr>(P))
        continue; // read
      if (const auto *MC = dyn_cast<MemberExpr>(P)) {
        if (const auto *MD = dyn_cast<CXXMethodDecl>(MC->getMemberDecl()))
          if (MD->isConst())
            continue;
        Modified = true;
        continue;
      }
      if (const auto *C = dyn_cast<CallExpr>(P)) {
        const FunctionDecl *FD = C->getDirectCallee();
        bool ByRef = true;
        for (unsigned I = 0; FD && I < C->getNumArgs(); ++I) {
          if (C->getArg(I) != Cur)
            continue;
          unsigned PI = I;
          if (isa<CXXOperatorCallExpr>(C) && isa<CXXMethodDecl>(FD)) {
            if (I == 0) {
              ByRef = !cast<CXXMethodDecl>(FD)->isConst();
              break;
            }
            PI = I - 1;
          }
          ByRef = PI >= FD->getNumParams() ||
                  isNonConstRefOrPointer(FD->getParamDecl(PI)->getType());
        }
        if (ByRef) {
          Modified = true;
          if (Filler.empty() && FD && FD->getDeclName().isIdentifier() &&
              isInputFunction(FD->getName()))
            Filler = FD->getName().str();
          else if (Filler.empty() && FD &&
                   FD->getOverloadedOperator() == OO_GreaterGreater)
            Filler = "operator>>";
        }
        continue;
      }
      if (isa<CXXConstructExpr>(P))
        continue;      // copied
      Modified = true; // assigned, incremented, address taken, ...
    }
    if (!Modified)
      Result = KeyInfo{};
    else if (!Filler.empty())
      Result.Source = Name + " (read by '" + Filler + "')";
  }
  LocalMemo[V] = Result;
  return Result;
}

bool isConstTableStorage(const Expr *E) {
  // kTable[i].name, kNames[i], kConfig.field: a const object that lives
  // for the program is a constant table whatever the index.
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      return V && hasProgramLifetime(V) &&
             (V->isConstexpr() || V->getType().isConstQualified());
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (ME->isArrow())
        return false;
      E = ME->getBase();
      continue;
    }
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase();
      continue;
    }
    return false;
  }
  return false;
}

Analysis::KeyInfo Analysis::keyOf(const Expr *E, unsigned Depth) {
  KeyInfo Constant;
  if (!E || Depth > 8)
    return Constant;
  E = skipImplicit(E);
  if (E->isTypeDependent() || E->isValueDependent() || E->containsErrors())
    return Constant;
  QualType T = E->getType();
  if (T->isEnumeralType() || T->isBooleanType())
    return Constant;
  if (isa<StringLiteral, IntegerLiteral, FloatingLiteral, CharacterLiteral,
          CXXBoolLiteralExpr, CXXNullPtrLiteralExpr, GNUNullExpr,
          CXXDefaultArgExpr, CXXDefaultInitExpr, ImplicitValueInitExpr,
          UnaryExprOrTypeTraitExpr, CXXScalarValueInitExpr>(E))
    return Constant;
  if (!T->isRecordType() && !T->isDependentType() && E->isEvaluatable(Ctx))
    return Constant;
  if (isConstTableStorage(E))
    return Constant;
  auto FirstRunTime = [&](auto Range) -> KeyInfo {
    for (const Expr *Sub : Range) {
      KeyInfo K = keyOf(Sub, Depth + 1);
      if (K.RunTime)
        return K;
    }
    return Constant;
  };
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *D = DRE->getDecl();
    if (isa<EnumConstantDecl, FunctionDecl>(D))
      return Constant;
    if (const auto *P = dyn_cast<ParmVarDecl>(D))
      return paramKey(P);
    if (const auto *V = dyn_cast<VarDecl>(D)) {
      auto LR = LoopRanges.find(V);
      if (LR != LoopRanges.end()) {
        const Expr *Range = skipImplicit(LR->second);
        if (isConstTableStorage(Range))
          return Constant;
        KeyInfo K = keyOf(Range, Depth + 1);
        if (!K.RunTime)
          return Constant;
        return {true, "variable '" + V->getNameAsString() +
                          "' (an element of " + K.Source + ")"};
      }
      if (V->isConstexpr())
        return Constant;
      if (hasProgramLifetime(V)) {
        if (V->getType().isConstQualified())
          return Constant;
        return {true, "global '" + V->getNameAsString() + "'"};
      }
      if (V->getType().isConstQualified() && !V->getType()->isReferenceType())
        return V->getInit() ? keyOf(V->getInit(), Depth + 1) : Constant;
      if (V->getType()->isReferenceType()) {
        if (!V->getInit())
          return Constant;
        KeyInfo K = keyOf(V->getInit(), Depth + 1);
        return K;
      }
      return localKey(V, Depth);
    }
    if (isa<BindingDecl>(D))
      return {true, "binding '" + D->getNameAsString() + "'"};
    return Constant;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (isa<VarDecl>(ME->getMemberDecl())) // a static data member
      return cast<VarDecl>(ME->getMemberDecl())->getType().isConstQualified()
                 ? Constant
                 : KeyInfo{true, "static member '" +
                                     ME->getMemberDecl()->getNameAsString() +
                                     "'"};
    const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(Base))
      return {true, "member '" + ME->getMemberDecl()->getNameAsString() + "'"};
    return keyOf(Base, Depth + 1);
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    return keyOf(AS->getBase(), Depth + 1); // a constant table's elements
                                            // form a finite set
  if (isa<CXXThisExpr>(E))
    return {true, "'this'"};
  if (isa<CXXNewExpr>(E))
    return {true, "a new object"};
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return L->capture_size() ? KeyInfo{true, "a capturing lambda"} : Constant;
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    KeyInfo K = keyOf(U->getSubExpr(), Depth + 1);
    if (U->isIncrementDecrementOp() && !K.RunTime)
      return {true, "a counter"};
    return K;
  }
  if (const auto *C = dyn_cast<CallExpr>(E)) {
    std::vector<const Expr *> Subs;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
      Subs.push_back(MC->getImplicitObjectArgument());
    for (const Expr *A : C->arguments())
      Subs.push_back(A);
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(C))
      if (OC->getOperator() == OO_PlusPlus ||
          OC->getOperator() == OO_MinusMinus)
        return {true, "a counter"};
    KeyInfo K = FirstRunTime(llvm::ArrayRef<const Expr *>(Subs));
    if (K.RunTime)
      return K;
    const FunctionDecl *FD = C->getDirectCallee();
    if (isa<CXXOperatorCallExpr>(C) || (FD && FD->isConstexpr()))
      return Constant;
    if (!Subs.empty())
      return Constant; // a function of constants
    std::string Name = FD && FD->getDeclName().isIdentifier()
                           ? FD->getName().str()
                           : std::string("a call");
    return {true, "the result of '" + Name + "'"};
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return FirstRunTime(
        llvm::ArrayRef<const Expr *>(CE->getArgs(), CE->getNumArgs()));
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return FirstRunTime(
        llvm::ArrayRef<const Expr *>(IL->getInits(), IL->getNumInits()));
  if (const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(E))
    return keyOf(SIL->getSubExpr(), Depth + 1);
  if (const auto *CE = dyn_cast<ExplicitCastExpr>(E))
    return keyOf(CE->getSubExpr(), Depth + 1);
  if (const auto *B = dyn_cast<BinaryOperator>(E))
    return FirstRunTime(llvm::ArrayRef<const Expr *>{B->getLHS(), B->getRHS()});
  if (const auto *CO = dyn_cast<AbstractConditionalOperator>(E))
    return FirstRunTime(llvm::ArrayRef<const Expr *>{
        CO->getCond(), CO->getTrueExpr(), CO->getFalseExpr()});
  if (const auto *PL = dyn_cast<ParenListExpr>(E))
    return FirstRunTime(const_cast<ParenListExpr *>(PL)->exprs());
  return {true, "a run-time value"};
}

// --- results -----------------------------------------------------------------

std::string Analysis::storageOf(const Entity &E, std::string &Owner) const {
  if (const auto *V = dyn_cast<VarDecl>(E.D)) {
    std::string Prefix =
        V->getTLSKind() != VarDecl::TLS_None ? "thread_local " : "";
    if (V->isStaticDataMember())
      return Prefix + "static data member";
    if (V->isStaticLocal())
      return Prefix.empty() ? "static local" : "thread_local local";
    return Prefix.empty() ? "global" : "thread_local";
  }
  const auto *F = cast<FieldDecl>(E.D);
  Owner = qualifiedName(F->getParent());
  return "member";
}

std::vector<UnboundedContainer> Analysis::run() {
  TraverseDecl(Ctx.getTranslationUnitDecl());
  std::vector<UnboundedContainer> Out;
  if (GaveUp)
    return Out;
  propagateInstances();
  for (Entity &E : Entities) {
    if (const auto *F = dyn_cast<FieldDecl>(E.D))
      if (!isStaticOnlyRecord(F->getParent()))
        continue; // a member of a short-lived (or never static) object
    if (!Opts.AssumeExternalContainersUnbounded && isExternal(E))
      continue;
    for (const Reference &R : E.Refs) {
      classify(E, R);
      if (E.Shrunk || E.Escaped)
        break;
    }
    if (const FunctionDecl *A = E.Accessor; A && !E.Shrunk && !E.Escaped) {
      // `registry()[Key] = ...`: the calls of the accessor use the static.
      A = A->getCanonicalDecl();
      bool Visible = false;
      for (const FunctionDecl *RD : A->redecls())
        Visible |= !SM.isInMainFile(SM.getExpansionLoc(RD->getLocation()));
      if (AddressTaken.count(A) || (Visible && A->isExternallyVisible() &&
                                    !Opts.AssumeExternalContainersUnbounded))
        continue;
      auto It = Calls.find(A);
      if (It != Calls.end())
        for (const CallSite &S : It->second) {
          Reference R{S.Call, S.Ctx};
          classifyUse(E, S.Call, /*ViaPointer=*/false, R);
          if (E.Shrunk || E.Escaped)
            break;
        }
    }
    for (const FunctionDecl *F : E.IterInits)
      if (IterShrinkFns.count(F))
        E.Shrunk = true;
    if (E.Shrunk || E.Escaped || E.SizeBounded || E.Grows.empty())
      continue;
    UnboundedContainer U;
    U.Decl = E.D;
    U.Kind = E.Kind;
    U.Storage = storageOf(E, U.Owner);
    llvm::DenseSet<unsigned> SeenLoc;
    for (const GrowSite &G : E.Grows) {
      if (G.Ctx.StartUp ||
          (G.Ctx.Lambda ? StartUpLambdas.count(G.Ctx.Lambda) != 0
                        : isStartUpOnly(G.Ctx.Fn, 0)))
        continue;
      KeyInfo K;
      for (const Expr *Key : G.Keys) {
        K = keyOf(Key, 0);
        if (K.RunTime)
          break;
      }
      if (!K.RunTime)
        continue;
      SourceLocation L = G.Call ? G.Call->getExprLoc() : SourceLocation();
      if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(G.Call))
        if (const auto *ME = dyn_cast<MemberExpr>(MC->getCallee()))
          L = ME->getMemberLoc();
      L = SM.getExpansionLoc(L); // the line that uses a macro
      if (!SeenLoc.insert(L.getRawEncoding()).second)
        continue;
      ContainerGrowth CG;
      CG.Call = G.Call;
      CG.Loc = L;
      CG.Operation = G.Operation;
      CG.Keyed = G.Keyed;
      CG.KeySource = K.Source;
      U.Growths.push_back(std::move(CG));
    }
    if (U.Growths.empty())
      continue;
    std::sort(U.Growths.begin(), U.Growths.end(),
              [&](const ContainerGrowth &A, const ContainerGrowth &B) {
                return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
              });
    Out.push_back(std::move(U));
  }
  // One finding per declaration (template instantiations share one).
  std::sort(Out.begin(), Out.end(),
            [&](const UnboundedContainer &A, const UnboundedContainer &B) {
              return SM.isBeforeInTranslationUnit(A.Decl->getLocation(),
                                                  B.Decl->getLocation());
            });
  Out.erase(
      std::unique(Out.begin(), Out.end(),
                  [](const UnboundedContainer &A, const UnboundedContainer &B) {
                    return A.Decl->getLocation() == B.Decl->getLocation();
                  }),
      Out.end());
  return Out;
}

} // namespace

std::vector<UnboundedContainer>
findUnboundedContainers(ASTContext &Ctx, const ContainerModel &Model,
                        const ContainerUseOptions &Opts) {
  Analysis A(Ctx, Model, Opts);
  return A.run();
}

} // namespace leaklib
} // namespace clang
