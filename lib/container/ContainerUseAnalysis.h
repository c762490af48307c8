//===--- ContainerUseAnalysis.h - leak-tidy -------------------------------===//
//
// Private to lib/container: the state of findUnboundedContainers, shared by
// its three parts --
//   ContainerUseIndex.cpp     the TU walk: containers, references, calls,
//                             start-up contexts; the result
//   ContainerLifetime.cpp     what lives as long as the process: variables,
//                             classes with only such instances, heap objects
//                             held by long-lived storage or by members
//   ContainerUseClassify.cpp  what one reference does (grow, shrink, escape,
//                             bounded by a size check)
//   ContainerKeys.cpp         whether a grow's key is a run-time value, and
//                             whether a function only runs at start-up
//   ContainerGuards.cpp       whether a size comparison guards a grow (the
//                             grow runs only on its "below the cap" edge)
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CONTAINER_CONTAINERUSEANALYSIS_H
#define LEAK_TIDY_LIB_CONTAINER_CONTAINERUSEANALYSIS_H

#include "lib/container/ContainerUseIndex.h"
#include "lib/core/FunctionCFG.h"
#include "lib/program/ProgramFacts.h"
#include "lib/program/ProjectFacts.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/Analyses/Dominators.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <optional>

namespace clang {
namespace leaklib {
namespace containeruse {

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

/// A comparison of the container's size with a bound (not 0 or 1).
struct SizeTest {
  const Expr *Cmp; ///< the comparison
  SiteContext Ctx;
};

struct Entity {
  const ValueDecl *D = nullptr;
  ContainerKind Kind;
  bool Pointer = false; ///< held through a pointer (GHashTable *, new'ed)
  bool Shrunk = false, Escaped = false;
  /// A size comparison whose use we cannot follow (returned by a predicate,
  /// stored in a variable): taken as a cap of every grow.
  bool SizeBounded = false;
  /// Size comparisons that are branch conditions: each caps the grows it
  /// guards (ContainerGuards.cpp).
  std::vector<SizeTest> SizeTests;
  std::vector<Reference> Refs;
  std::vector<GrowSite> Grows;
  std::vector<const FunctionDecl *> IterInits; ///< g_hash_table_iter_init
  /// `T &get() { static T X; return X; }`: its calls are uses of X.
  const FunctionDecl *Accessor = nullptr;
  /// A map of containers (`map<Tenant, map<Key, Value>>`): the index of the
  /// entity of its inner containers (all of them, one level), or -1.
  int Inner = -1;
  /// This entity is the inner level of another one (same D).
  bool Nested = false;
  /// Emptied as a whole (clear, assignment, swap, move, freed): the inner
  /// containers go with it.
  bool Emptied = false;
  bool done() const { return Shrunk || Escaped; }
};

struct CallSite {
  const Expr *Call; ///< CallExpr or CXXConstructExpr
  SiteContext Ctx;
  /// std::bind(F, args...): parameter I of F is argument I + ArgOffset.
  unsigned ArgOffset = 0;
  bool Bound = false;
};

/// Why objects of a class live as long as the process, for a note.
struct LongLivedWhy {
  SourceLocation Loc;
  std::string Why;
  /// Through a local of main() or of a function that never returns (not
  /// static storage): only growth this file shows running again and again
  /// counts (a server's handlers, registered once from main(), do not).
  bool ViaLocal = false;
};

/// One use of a container being classified: the reference climbed through
/// parentheses and implicit conversions to the node that uses it.
struct UseSite {
  Entity &E;
  const Reference &R;
  const Expr *Use; ///< the expression asked about
  const Expr *Cur; ///< Use with its parens and implicit casts
  const Stmt *P;   ///< the node using Cur
  bool ViaPointer; ///< Cur is a pointer to the container
  bool ConstView;  ///< converted to const on the way up
};

/// Whether \p T (a parameter or variable type) lets its holder modify what
/// it refers to: a non-const reference or pointer (or an unknown type).
bool isNonConstRefOrPointer(QualType T);
/// The key of a map entry: {K, V}, std::pair(K, V), std::make_pair(K, V),
/// std::forward_as_tuple(K), qMakePair(K, V) give K; anything else itself.
const Expr *keyPart(const Expr *A);

class Analysis : public RecursiveASTVisitor<Analysis> {
public:
  Analysis(ASTContext &Ctx, const ContainerModel &Model,
           const ContainerUseOptions &Opts)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Model(Model), Opts(Opts),
        PF(ProgramFacts::get(Ctx)), Facts(ProjectFacts::get(Ctx)) {}

  std::vector<UnboundedContainer> run();

  // Traversal (ContainerUseIndex.cpp) ----------------------------------------
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
  bool TraverseConstructorInitializer(CXXCtorInitializer *I);
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
  SiteContext here() const;
  bool inSystemHeader(SourceLocation L) const {
    return L.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(L));
  }
  Entity *entityFor(const ValueDecl *D);
  std::optional<ContainerKind> containerKindOf(const ValueDecl *D,
                                               bool &Pointer) const;
  std::optional<ContainerKind> classifyObject(QualType T) const;
  bool addReference(const ValueDecl *D, const Expr *E);
  void notePatternReference(const ValueDecl *D, const Expr *E);
  void noteRecordInstance(QualType T, bool Static,
                          const LongLivedWhy *Why = nullptr);
  void noteLibraryElements(QualType T, unsigned Depth);
  void noteHeapOwner(const Expr *Value, const VarDecl *Var,
                     const FieldDecl *Field);
  const FieldDecl *assignedMember(const Expr *LHS) const;
  void noteBoundCall(const CallExpr *C);
  void noteStoredCreation(const CallExpr *C);
  bool isLongLived(const VarDecl *V) const;
  bool isOnceCall(const CallExpr *C) const;
  void noteOnceCallables(const CallExpr *C);

  // Classification of uses (ContainerUseClassify.cpp) ------------------------
  void classifyUse(Entity &E, const Expr *Use, bool ViaPointer,
                   const Reference &R);
  void methodUse(UseSite &S, llvm::StringRef Name, const Expr *Call,
                 llvm::ArrayRef<const Expr *> Args);
  void memberUse(UseSite &S, const MemberExpr *ME);
  void unaryUse(UseSite &S, const UnaryOperator *U);
  bool userCApiCall(UseSite &S, const UnaryOperator *U);
  void pointerAssignmentUse(UseSite &S, const BinaryOperator *B);
  bool operatorUse(UseSite &S, const CXXOperatorCallExpr *OC);
  void argumentUse(UseSite &S, const CallExpr *C);
  bool cTableFunctionUse(UseSite &S, const CallExpr *C, const FunctionDecl *FD,
                         unsigned Index);
  void otherUse(UseSite &S);
  void addGrow(Entity &E, const Expr *Call, llvm::StringRef Op,
               llvm::ArrayRef<const Expr *> Args, const Reference &R);
  const Stmt *parentStmt(const Expr *E, const Decl **ParentDecl = nullptr,
                         bool InTemplate = false);
  const Expr *boundComparison(const Expr *C);
  void noteSizeQuery(Entity &E, const Expr *Query, const Reference &R);
  void elementUse(UseSite &S, llvm::StringRef Name, const Expr *Call);
  void iteratorUse(Entity &In, const Expr *It, const Reference &R);
  void iteratorVariableUse(Entity &In, const VarDecl *V, const Reference &R);
  void judgeInner(const Entity &Outer, bool OuterReported,
                  std::vector<UnboundedContainer> &Out);
  const FunctionDecl *accessorOf(const Entity &E, const Expr *Use,
                                 const Reference &R) const;

  // Lifetimes (ContainerLifetime.cpp) -----------------------------------------
  void propagateInstances();
  bool isStaticOnlyRecord(const RecordDecl *RD) const;

  // Start-up and keys (ContainerKeys.cpp) ------------------------------------
  bool isStartUpOnly(const FunctionDecl *F, unsigned Depth);
  bool runsRepeatedly(const FunctionDecl *F, const Stmt *Site, unsigned Depth,
                      bool OwnLoop = false);
  bool livesThroughLocal(const Entity &E) const;
  struct KeyInfo {
    KeyInfo() = default;
    KeyInfo(bool RunTime, std::string Source)
        : RunTime(RunTime), Source(std::move(Source)) {}
    bool RunTime = false;
    std::string Source;
    /// A run-time argument passed in another translation unit (project
    /// facts): where, for a note.
    SourceLocation NoteLoc;
    std::string NoteText;
  };
  KeyInfo keyOf(const Expr *E, unsigned Depth);
  KeyInfo firstRunTime(llvm::ArrayRef<const Expr *> Subs, unsigned Depth);
  KeyInfo declKey(const DeclRefExpr *DRE, unsigned Depth);
  KeyInfo varKey(const VarDecl *V, unsigned Depth);
  KeyInfo memberKey(const MemberExpr *ME, unsigned Depth);
  KeyInfo callKey(const CallExpr *C, unsigned Depth);
  KeyInfo paramKey(const ParmVarDecl *P);
  KeyInfo paramKeyUncached(const ParmVarDecl *P);
  KeyInfo localKey(const VarDecl *V, unsigned Depth);
  bool modifiedIn(const VarDecl *V, const Stmt *Body, std::string &Filler);
  bool useModifies(const DeclRefExpr *Ref, std::string &Filler);

  // Size guards (ContainerGuards.cpp) ----------------------------------------
  bool guardedBySize(const Entity &E, const GrowSite &G);
  bool guards(const SizeTest &T, const GrowSite &G);
  CFGDomTree *dominatorTree(FunctionCFG &F);

  // Results (ContainerUseIndex.cpp) ------------------------------------------
  void judge(Entity &E);
  void followAccessor(Entity &E);
  std::vector<ContainerGrowth> runTimeGrowths(const Entity &E);
  UnboundedContainer finding(const Entity &E,
                             std::vector<ContainerGrowth> Growths) const;

  // Project facts (ContainerProject.cpp) --------------------------------------
  /// Exports what this TU does to \p E (visible to other TUs).
  void exportContainer(const Entity &E,
                       const std::vector<ContainerGrowth> &Growths);
  /// Exports \p E, a member of a class this TU does not track (no instance
  /// living for the process here), when this TU trims, caps or hands it on:
  /// so that the store's silence about a member means "no TU trims it".
  void exportUntrackedMember(Entity &E);
  /// Asks the store about \p E, grown here and never trimmed here. False:
  /// another TU trims it (or, without a store, today's answer: others may);
  /// true: report, with \p Notes on where the others use it.
  bool unboundedInProject(const Entity &E, std::vector<ProjectNote> &Notes);
  /// Whether other TUs call \p F only with constants as parameter \p P
  /// (none calls it: yes); \p K gets the run-time call otherwise. Without a
  /// store: nullopt (unknown).
  std::optional<bool> otherTUsPassConstants(const FunctionDecl *F,
                                            const ParmVarDecl *P, KeyInfo &K);

  ASTContext &Ctx;
  SourceManager &SM;
  const ContainerModel &Model;
  const ContainerUseOptions &Opts;
  ProgramFacts &PF;
  ProjectFacts &Facts;

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
  llvm::DenseSet<const Expr *> CalleeRefs;
  /// Heap creations stored in long-lived storage or in a member: judged
  /// where they are stored, not as short-lived objects.
  llvm::DenseSet<const Expr *> OwnedCreations;
  llvm::DenseSet<const RecordDecl *> StaticInst, ShortLived;
  /// Classes the library constructs (short-lived unless the user's
  /// make_shared / make_unique calls account for them: MadeByFactory).
  llvm::DenseSet<const RecordDecl *> LibraryBuilt, MadeByFactory;
  llvm::DenseMap<const RecordDecl *, LongLivedWhy> StaticWhy;
  std::vector<std::pair<const RecordDecl *, const RecordDecl *>> Contains;
  llvm::DenseMap<const VarDecl *, const Expr *> LoopRanges;
  /// The loop variable of a range-for, by its range expression.
  llvm::DenseMap<const Expr *, const VarDecl *> RangeLoopVars;
  /// The structs of the project's own C container API (GrowFunctions).
  llvm::SmallPtrSet<const RecordDecl *, 4> CApiRecords;
  llvm::DenseMap<const FunctionDecl *, int> StartUpMemo; // 0 busy, 1, 2
  llvm::DenseMap<const VarDecl *, KeyInfo> LocalMemo;
  /// What makes a parameter a run-time key (not RunTime when constant).
  llvm::DenseMap<const ParmVarDecl *, KeyInfo> ParamMemo;
  unsigned ParamHops = 0; ///< callers followed from the current key
  llvm::DenseMap<const FunctionCFG *, std::unique_ptr<CFGDomTree>> DomTrees;
  /// Uses of static data members of class template patterns, by member.
  llvm::DenseMap<const VarDecl *, std::vector<Reference>> PatternRefs;
};

} // namespace containeruse
} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CONTAINER_CONTAINERUSEANALYSIS_H
