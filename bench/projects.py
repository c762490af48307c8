"""The benchmark corpus: real C++ Debian source packages that use threads,
timers, caches and queues, and how to get a compile_commands.json for each.

`kind` is how the compilation database is produced:
  * "cmake": CMake configure only (CMAKE_EXPORT_COMPILE_COMMANDS=ON), no build:
    configure-time generated headers (zeromq's platform.hpp) exist, nothing
    else is compiled.
  * "generated": the project's build needs libraries we do not want to install
    (or is header-only), so we write the database ourselves from the globs and
    flags below, which follow the project's own build files.
`tus` are globs (relative to the unpacked source) of the translation units
considered; `exclude` are regular expressions of paths left out (tests of
bundled third-party code, platform-specific files that cannot compile here).
"""

PROJECTS = [
    {
        "name": "leveldb",
        "package": "leveldb",
        "why": "key-value store: background compaction thread, LRU block cache, write queue",
        "kind": "cmake",
        "cmake_args": ["-DLEVELDB_BUILD_TESTS=OFF", "-DLEVELDB_BUILD_BENCHMARKS=OFF",
                       "-DLEVELDB_INSTALL=OFF"],
        "exclude": [r"/third_party/", r"_test\.cc$", r"/benchmarks/", r"windows"],
    },
    {
        "name": "spdlog",
        "package": "spdlog",
        "why": "logger: async thread pool, bounded MPMC queue, periodic flusher thread, logger registry",
        "kind": "cmake",
        "cmake_args": ["-DSPDLOG_FMT_EXTERNAL=ON", "-DSPDLOG_BUILD_EXAMPLE=ON",
                       "-DSPDLOG_BUILD_TESTS=OFF", "-DSPDLOG_BUILD_BENCH=OFF"],
        "exclude": [],
        "needs": ["libfmt-dev"],
    },
    {
        "name": "cpp-httplib",
        "package": "cpp-httplib",
        "why": "header-only HTTP server/client: thread pool, task queue, keep-alive timeouts",
        "kind": "generated",
        # test/test.cc (a 5k-line gtest file) is left out: clang-analyzer-* alone
        # takes over 5 minutes on it on our 2-core machine.
        "tus": ["example/*.cc"],
        "flags": ["-std=c++14", "-I.", "-pthread"],
        "exclude": [],
    },
    {
        "name": "zeromq3",
        "package": "zeromq3",
        "why": "ZeroMQ: I/O threads, reaper thread, timers, mailboxes, pipes (queues)",
        "kind": "cmake",
        "cmake_args": ["-DZMQ_BUILD_TESTS=OFF", "-DWITH_PERF_TOOL=OFF", "-DWITH_LIBSODIUM=OFF",
                       "-DWITH_TLS=OFF", "-DWITH_DOCS=OFF", "-DENABLE_CURVE=OFF",
                       "-DENABLE_DRAFTS=OFF", "-DBUILD_STATIC=OFF"],
        "exclude": [r"/tests/", r"/unittests/", r"/external/", r"/perf/", r"/tools/"],
    },
    {
        "name": "i2pd",
        "package": "i2pd",
        "why": "I2P router on Boost.Asio: deadline timers, worker threads, router/lease-set caches, queues",
        "kind": "generated",
        "tus": ["libi2pd/*.cpp", "libi2pd_client/*.cpp", "daemon/*.cpp"],
        "flags": ["-std=c++17", "-Ilibi2pd", "-Ilibi2pd_client", "-Ii18n", "-Idaemon",
                  "-DOPENSSL_SUPPRESS_DEPRECATED", "-DBOOST_SP_USE_STD_ATOMIC", "-pthread"],
        # UPnP.cpp needs miniupnpc (optional in i2pd's build, off by default).
        "exclude": [r"/UPnP\.cpp$", r"Win32", r"/api\.cpp$"],
    },
    {
        "name": "libtorrent-rasterbar",
        "package": "libtorrent-rasterbar",
        "why": "BitTorrent library on Boost.Asio: many steady/deadline timers, disk I/O thread pool, alert queue, caches",
        "kind": "cmake",
        "cmake_args": ["-Dbuild_tests=OFF", "-Dbuild_examples=ON", "-Dbuild_tools=ON",
                       "-Dpython-bindings=OFF"],
        "exclude": [r"/simulation/", r"/fuzzers/", r"/bindings/", r"/deps/", r"/test/"],
    },
    {
        "name": "libuv1",
        "package": "libuv1",
        "why": "libuv (C): uv timers and threads in the library and its test suite (where the timers live)",
        "kind": "cmake",
        "cmake_args": ["-DLIBUV_BUILD_TESTS=ON", "-DLIBUV_BUILD_BENCH=OFF"],
        "exclude": [r"/win/", r"-win\.c$"],
    },
    {
        "name": "libevent",
        "package": "libevent",
        "why": "libevent (C): evtimer/event_new timers, bufferevents and threads, with its regression tests",
        "kind": "cmake",
        "cmake_args": ["-DEVENT__DISABLE_TESTS=OFF", "-DEVENT__DISABLE_SAMPLES=OFF",
                       "-DEVENT__DISABLE_BENCHMARK=ON", "-DEVENT__DISABLE_MBEDTLS=ON"],
        "exclude": [r"/WIN32-Code/", r"win32", r"/arc4random\.c$"],
    },
    {
        "name": "mosquitto",
        "package": "mosquitto",
        "why": "MQTT broker and client library (C): pthreads, message queues, keep-alive timing",
        "kind": "cmake",
        "cmake_args": ["-DWITH_CJSON=OFF", "-DWITH_DOCS=OFF", "-DDOCUMENTATION=OFF"],
        "exclude": [],
    },
]
