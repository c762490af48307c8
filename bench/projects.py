"""The benchmark corpus: real C++ Debian source packages that use threads,
timers, caches and queues, and how to get a compile_commands.json for each.

`kind` is how the compilation database is produced:
  * "cmake": CMake configure only (CMAKE_EXPORT_COMPILE_COMMANDS=ON), no build:
    configure-time generated headers (zeromq's platform.hpp) exist, nothing
    else is compiled.
  * "generated": the project's build needs libraries we do not want to install
    (or is header-only), so we write the database ourselves from the globs and
    flags below, which follow the project's own build files.
`build_targets` (cmake only, if given) are ninja targets built right after the
configure: headers the build generates or copies that the TUs include.
`tus` are globs (relative to the unpacked source; `**` recurses) of the
translation units considered; `flags` are the C++ flags, `c_flags` (if given)
the flags of the .c files, which then get the C compiler; `configure` (if
given) is a command run once in the source directory before, e.g. autoconf's
./configure for its config.h. `exclude` are regular expressions of paths left
out (tests of bundled third-party code, platform-specific files that cannot
compile here).

Projects with `"aside"` are the SET-ASIDE corpus: real code the checks were
never tuned on, kept for one final, honest precision measurement per group.
`"aside": True` is group 1, `"aside": 2` group 2 (both read once already),
`"aside": 3` group 3 and `"aside": 4` group 4 (read once too). The
regular benchmark (bench/run.sh, bench.py) skips them and never shows their
findings; only `bench/aside.sh [--group N]` prepares them, and only
`bench/aside.sh --run [--group N]` runs the leak checks on them. Do not look
at their findings while working on the checks. `max_tus` (set-aside only)
caps the TUs of the final run: a seeded sample of that many (default 200).
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
    # ------------------------------------------------------------ set aside
    # Never run by bench/run.sh; see the module docstring and bench/aside.sh.
    {
        "name": "civetweb",
        "package": "civetweb",
        "aside": True,
        "why": "embedded HTTP/WebSocket server (C, C++ wrapper): master/worker threads, connection queue, timers",
        "kind": "generated",
        "tus": ["src/civetweb.c", "src/main.c", "src/CivetServer.cpp", "examples/*/*.c", "examples/*/*.cpp"],
        # The defines of Debian's build (debian/rules: websockets, C++ wrapper)
        # plus IPv6 and server statistics, as CMake sets them.
        "c_flags": ["-DOPENSSL_API_1_1", "-DUSE_IPV6", "-DUSE_WEBSOCKET", "-DUSE_SERVER_STATS",
                    "-DUSE_STACK_SIZE=102400", "-DNDEBUG", "-Iinclude", "-Iexamples/rest/cJSON", "-pthread"],
        "flags": ["-std=c++11", "-DOPENSSL_API_1_1", "-DUSE_IPV6", "-DUSE_WEBSOCKET", "-DUSE_SERVER_STATS",
                  "-DUSE_STACK_SIZE=102400", "-DNDEBUG", "-Iinclude", "-pthread"],
        # examples/rest bundles cJSON: its header is used, its sources left out.
        "exclude": [r"/cJSON/"],
    },
    {
        "name": "nng",
        "package": "nng",
        "aside": True,
        "why": "nanomsg-next-gen messaging (C): task queues, thread pool, aio timers, message queues, with its tests",
        "kind": "cmake",
        "cmake_args": ["-DNNG_TESTS=ON", "-DNNG_TOOLS=ON", "-DNNG_ENABLE_TLS=OFF"],
        "exclude": [r"/windows/", r"/extern/", r"winsec"],
    },
    {
        "name": "memcached",
        "package": "memcached",
        "aside": True,
        "why": "memcached (C): worker/LRU-crawler/maintainer threads, slab and item caches, connection queues, libevent timers",
        "kind": "generated",
        "needs": ["libevent-dev", "libssl-dev"],
        "configure": {"cmd": ["./configure", "CC=clang-22", "--disable-docs", "--enable-tls"], "creates": "config.h"},
        "tus": ["*.c"],
        "c_flags": ["-DHAVE_CONFIG_H", "-DNDEBUG", "-I.", "-pthread"],
        # What configure leaves out here: the proxy (needs Lua), SASL, seccomp
        # privileges (linux_priv.c) and other OSes' privileges.
        "exclude": [r"/proxy_[^/]*\.c$", r"/proto_proxy\.c$", r"/sasl_defs\.c$",
                    r"/(linux|solaris|darwin|freebsd|openbsd)_priv\.c$"],
    },
    {
        "name": "nghttp2",
        "package": "nghttp2",
        "aside": True,
        "why": "HTTP/2 library and apps (C, C++): nghttpx proxy and h2load on libev (ev_timer, worker threads, caches)",
        "kind": "cmake",
        "needs": ["libev-dev", "libc-ares-dev", "libssl-dev", "zlib1g-dev", "libxml2-dev", "libevent-dev"],
        "cmake_args": ["-DENABLE_APP=ON", "-DENABLE_EXAMPLES=ON", "-DENABLE_HPACK_TOOLS=OFF", "-DENABLE_DOC=OFF",
                       "-DWITH_JEMALLOC=OFF", "-DENABLE_HTTP3=OFF", "-DWITH_LIBBPF=OFF", "-DWITH_MRUBY=OFF",
                       "-DWITH_NEVERBLEED=OFF"],
        "exclude": [r"/third-party/", r"/fuzz/", r"/integration-tests/"],
    },
    {
        "name": "cpprest",
        "package": "cpprest",
        "aside": True,
        "why": "C++ REST SDK on Boost.Asio: pplx tasks and thread pool, asio timers, HTTP listener/client, websockets",
        "kind": "generated",
        # CMake would need nine compiled Boost libraries; the flags follow
        # Release/CMakeLists.txt, Release/src/CMakeLists.txt and the tests'.
        # The library, the samples and tests that Release/CMakeLists.txt
        # builds on Linux (not the bundled UnitTest++ framework's own tests).
        "tus": ["Release/src/**/*.cpp", "Release/tests/functional/**/*.cpp",
                "Release/tests/common/TestRunner/*.cpp", "Release/tests/common/utilities/*.cpp"] +
               ["Release/samples/%s/*.cpp" % d for d in ("SearchFile", "BingRequest", "BlackJack/BlackJack_Client",
                                                        "BlackJack/BlackJack_Server", "Oauth1Client",
                                                        "Oauth2Client")],
        "flags": ["-std=c++11", "-fno-strict-aliasing", "-pthread", "-IRelease/include", "-IRelease/src/pch",
                  "-IRelease/tests/common/UnitTestpp", "-IRelease/tests/common/utilities/include",
                  "-IRelease/tests/functional/http/utilities/include",
                  "-IRelease/tests/functional/websockets/utilities",
                  "-DCPPREST_EXCLUDE_BROTLI=1", "-DCPPREST_FORCE_HTTP_CLIENT_ASIO",
                  "-DCPPREST_FORCE_HTTP_LISTENER_ASIO", "-DTEST_UTILITY_API=", "-DDESKTOP_TEST_RUNNER"],
        "needs": ["libwebsocketpp-dev", "libboost-dev", "libssl-dev", "zlib1g-dev"],
        # Windows/WinRT/Apple implementations (and HTTP.sys), the MSVC
        # precompiled-header TUs, a test the build leaves out (needs the net).
        "exclude": [r"(?i)win", r"(?i)apple", r"/atl_headers/", r"/http_server_httpsys\.cpp$", r"/stdafx\.cpp$",
                    r"/outside_tests\.cpp$"],
    },
    {
        "name": "thrift",
        "package": "thrift",
        "aside": True,
        "why": "Apache Thrift C++ library: ThreadManager/TimerManager, thread-pool and non-blocking (libevent) servers",
        "kind": "cmake",
        "cmake_args": ["-DBUILD_COMPILER=OFF", "-DBUILD_TESTING=OFF", "-DBUILD_TUTORIALS=OFF", "-DWITH_CPP=ON",
                       "-DWITH_C_GLIB=OFF", "-DWITH_JAVA=OFF", "-DWITH_JAVASCRIPT=OFF", "-DWITH_NODEJS=OFF",
                       "-DWITH_PYTHON=OFF", "-DWITH_AS3=OFF", "-DWITH_QT5=OFF", "-DWITH_LIBEVENT=ON",
                       "-DWITH_ZLIB=ON", "-DWITH_OPENSSL=ON"],
        "needs": ["libboost-dev", "libevent-dev", "zlib1g-dev", "libssl-dev"],
        "exclude": [r"/windows/", r"/qt/"],
    },
    # ------------------------------------------------------------ set aside, group 2
    # Read once (2026-12-04 19:43 UTC, bench/ASIDE.md); `bench/aside.sh --run
    # --group 2` still runs it, but it is no longer unseen code.
    # A seeded sample of 40 TUs per project keeps that run near 10 minutes.
    {
        "name": "poco",
        "package": "poco",
        "aside": 2,
        "max_tus": 40,
        "why": "POCO C++ Foundation/Net/Util: ThreadPool, Timer, TaskManager, NotificationQueue, LRU/expire caches, "
               "TCPServer/HTTPServer, with samples and the Foundation tests",
        "kind": "cmake",
        # Tests on for the samples and Foundation's testsuite; every component
        # but Foundation, Net and Util (and XML/JSON, which Util needs) off.
        "cmake_args": ["-DENABLE_TESTS=ON", "-DENABLE_ENCODINGS=OFF", "-DENABLE_MONGODB=OFF", "-DENABLE_DATA=OFF",
                       "-DENABLE_DATA_SQLITE=OFF", "-DENABLE_DATA_MYSQL=OFF", "-DENABLE_DATA_POSTGRESQL=OFF",
                       "-DENABLE_DATA_ODBC=OFF", "-DENABLE_REDIS=OFF", "-DENABLE_ZIP=OFF", "-DENABLE_PAGECOMPILER=OFF",
                       "-DENABLE_PAGECOMPILER_FILE2PAGE=OFF", "-DENABLE_ACTIVERECORD=OFF",
                       "-DENABLE_ACTIVERECORD_COMPILER=OFF", "-DENABLE_NETSSL=OFF", "-DENABLE_CRYPTO=OFF",
                       "-DENABLE_JWT=OFF", "-DENABLE_APACHECONNECTOR=OFF"],
        # Only Foundation, Net and Util TUs; not the bundled C (pcre, zlib).
        "exclude": [r"/(CppUnit|XML|JSON)/", r"\.c$"],
    },
    {
        "name": "znc",
        "package": "znc",
        "aside": 2,
        "max_tus": 40,
        "why": "ZNC IRC bouncer: socket event loop (Csocket), CTimer/CCron timers, DNS thread pool, buffers and "
               "caches, 53 modules, gtest unit tests",
        "kind": "cmake",
        # No Perl/Python/Tcl/ICU/SASL/i18n modules; the unit tests with
        # Debian's googletest sources.
        "cmake_args": ["-DWANT_OPENSSL=YES", "-DWANT_ZLIB=YES", "-DWANT_CYRUS=NO", "-DWANT_ICU=NO", "-DWANT_SWIG=NO",
                       "-DWANT_PERL=NO", "-DWANT_PYTHON=NO", "-DWANT_TCL=NO", "-DWANT_I18N=NO",
                       "-DGTEST_ROOT=/usr/src/googletest/googletest", "-DGMOCK_ROOT=/usr/src/googletest/googlemock"],
        "needs": ["libssl-dev", "zlib1g-dev", "googletest"],
        # The build copies third_party/Csocket into build/include/znc/.
        "build_targets": ["copy_csocket_h", "copy_csocket_cc"],
        "exclude": [r"/test/integration/"],
    },
    {
        "name": "aria2",
        "package": "aria2",
        "aside": 2,
        "max_tus": 40,
        "why": "aria2 download utility: epoll event loop (DownloadEngine, timed commands), DHT and BitTorrent "
               "peers, disk write cache, DNS cache, request/peer queues",
        "kind": "generated",
        "needs": ["libgnutls28-dev", "nettle-dev", "libgmp-dev", "libc-ares-dev", "libxml2-dev", "libsqlite3-dev",
                  "libssh2-1-dev", "zlib1g-dev"],
        # Debian's configure options (debian/rules: GnuTLS, not OpenSSL;
        # libaria2) for config.h; the flags are src/Makefile's after it.
        "configure": {"cmd": ["./configure", "CC=clang-22", "CXX=clang++-22", "--with-gnutls", "--without-openssl",
                              "--with-ca-bundle=/etc/ssl/certs/ca-certificates.crt", "--enable-libaria2",
                              "--disable-nls"], "creates": "config.h"},
        "tus": ["src/*.cc"],
        "flags": ["-DHAVE_CONFIG_H", "-DLOCALEDIR=\"/usr/local/share/locale\"", "-Isrc", "-I.", "-Ilib", "-Iintl",
                  "-Isrc/includes", "-I/usr/include/libxml2", "-I/usr/include/p11-kit-1",
                  "-Ideps/wslay/lib/includes", "-pthread"],
        # The sources that configure leaves out here (the #am__append lines of
        # src/Makefile): other TLS/crypto back ends, other OSes' event polls,
        # expat (libxml2 is used), Windows files.
        "exclude": [r"/src/(Apple(MessageDigestImpl|TLSContext|TLSSession)|ExpatXmlParser|"
                    r"Internal(ARC4Encryptor|DHKeyExchange|MessageDigestImpl)|KqueueEventPoll|"
                    r"Libgcrypt(ARC4Encryptor|DHKeyExchange|MessageDigestImpl)|"
                    r"Libssl(ARC4Encryptor|DHKeyExchange|MessageDigestImpl|TLSContext|TLSSession)|"
                    r"LibuvEventPoll|PortEventPoll|WinConsoleFile|WinTLSContext|WinTLSSession|crypto_hash|"
                    r"daemon)\.cc$"],
    },
    # ------------------------------------------------------------ set aside, group 3
    # Read once (2026-12-04 23:20 UTC, bench/ASIDE.md); `bench/aside.sh --run
    # --group 3` still runs it, but it is no longer unseen code. 40 seeded
    # TUs per project, as group 2.
    {
        "name": "rocksdb",
        "package": "rocksdb",
        "aside": 3,
        "max_tus": 40,
        "why": "RocksDB key-value store (C++): background flush/compaction thread pools, LRU and clock block "
               "caches, write-thread queue, periodic task scheduler (util/timer.h), table and column-family caches",
        "kind": "cmake",
        # The library, tools and examples (tests are Debug-only in its CMake).
        # Debian's compression libraries (snappy, lz4, zstd, bz2, zlib) and
        # gflags off: they only add codec and benchmark code; no -Werror.
        "cmake_args": ["-DWITH_GFLAGS=OFF", "-DWITH_LIBURING=OFF", "-DWITH_SNAPPY=OFF", "-DWITH_LZ4=OFF",
                       "-DWITH_ZLIB=OFF", "-DWITH_ZSTD=OFF", "-DWITH_BZ2=OFF", "-DWITH_JEMALLOC=OFF",
                       "-DWITH_BENCHMARK_TOOLS=OFF", "-DWITH_TOOLS=ON", "-DWITH_CORE_TOOLS=ON",
                       "-DWITH_EXAMPLES=ON", "-DFAIL_ON_WARNINGS=OFF", "-DPORTABLE=ON", "-DWITH_JNI=OFF"],
        "exclude": [r"/third-party/", r"/java/", r"(?i)/win", r"_test\.cc$", r"/test_util/", r"/microbench/"],
    },
    {
        "name": "librdkafka",
        "package": "librdkafka",
        "aside": 3,
        "max_tus": 40,
        "why": "Apache Kafka client (C, C++ wrapper): broker and main threads, rd_kafka timers, op queues, "
               "metadata cache, mock cluster, with its C/C++ test suite and examples",
        "kind": "cmake",
        # Debian's build has SSL, SASL, zlib, zstd and external lz4; here SSL
        # and zlib (no Cyrus SASL, zstd, curl; lz4 bundled).
        "cmake_args": ["-DWITH_SSL=ON", "-DWITH_ZLIB=ON", "-DWITH_SASL=OFF", "-DWITH_ZSTD=OFF", "-DWITH_CURL=OFF",
                       "-DENABLE_LZ4_EXT=OFF", "-DRDKAFKA_BUILD_EXAMPLES=ON", "-DRDKAFKA_BUILD_TESTS=ON"],
        # Bundled third-party code (the LICENSE.* files): cJSON, crc32c, lz4,
        # snappy, regexp, tinycthread, xxhash, hdrhistogram, pycrc's CRC-32,
        # FNV-1a, murmur2, wingetopt; Windows.
        "exclude": [r"/src/(cJSON|crc32c|lz4|lz4frame|lz4hc|snappy|regexp|tinycthread|tinycthread_extra|rdxxhash|"
                    r"rdhdrhistogram|rdcrc32|rdfnv1a|rdmurmur2)\.c$", r"(?i)win32", r"wingetopt"],
        "needs": ["libssl-dev", "zlib1g-dev"],
    },
    {
        "name": "qbittorrent",
        "package": "qbittorrent",
        "aside": 3,
        "max_tus": 40,
        "why": "qBittorrent-nox (C++, Qt 5, libtorrent): BitTorrent session with QTimer refreshes, QThread "
               "workers (resume-data storage, torrent creator, RSS, watched folders), QHash caches, web UI HTTP "
               "server and sessions",
        "kind": "cmake",
        # qbittorrent-nox (Debian also builds the GUI, which would need Qt
        # Widgets/Svg). Its 8 unit tests are off: each includes its .moc,
        # whose AUTOMOC target needs libqbt_base built first (the whole base).
        "cmake_args": ["-DGUI=OFF", "-DWEBUI=ON", "-DQT6=OFF", "-DSTACKTRACE=ON", "-DTESTING=OFF", "-DDBUS=OFF",
                       "-DSYSTEMD=OFF"],
        "needs": ["qtbase5-dev", "qttools5-dev", "libtorrent-rasterbar-dev", "libboost-dev", "libssl-dev",
                  "zlib1g-dev"],
        # base/torrentfileswatcher.cpp includes its .moc: AUTOMOC's targets.
        "build_targets": ["qbt_base_autogen"],
        "exclude": [r"(?i)/win", r"_mac\.", r"/macutilities"],
    },
    # ------------------------------------------------------------ set aside, group 4
    # Fresh: prepared (compile DB, parse check without the plugin) on
    # 2026-12-05 but never run with the leak checks. `bench/aside.sh --run
    # --group 4` reads it once. 40 seeded TUs per project, as groups 2 and 3.
    {
        "name": "fastdds",
        "package": "fastdds",
        "aside": 4,
        "max_tus": 40,
        "why": "eProsima Fast DDS (C++): RTPS participants with their event thread and TimedEvent timers, "
               "asynchronous writer threads and flow controllers, reader/writer history caches, discovery "
               "databases, shared-memory and UDP/TCP transports with receive threads, its examples and tools",
        "kind": "cmake",
        # Debian's options (debian/rules: security on, C++17, tests off), plus
        # the examples (Debian leaves them out of the build, ships their sources).
        "cmake_args": ["-DSECURITY=ON", "-DFORCE_CXX=17", "-DEPROSIMA_BUILD_TESTS=OFF", "-DCOMPILE_EXAMPLES=ON",
                       "-DCOMPILE_TOOLS=ON", "-DBUILD_DOCUMENTATION=OFF"],
        "needs": ["libasio-dev", "libfastcdr-dev", "libfoonathan-memory-dev", "libtinyxml2-dev", "libssl-dev",
                  "libsqlite3-dev", "nlohmann-json3-dev", "tao-pegtl-dev", "libboost-dev"],
        # The data types' serialization code that fastddsgen generated from
        # the IDL files (<type>.cxx, <type>PubSubTypes.cxx, <type>TypeObject.cxx:
        # 61 of the examples' 151 TUs, and the statistics types); Windows.
        "exclude": [r"/thirdparty/", r"/fuzz/", r"/test/", r"(?i)/win", r"(?i)android", r"PubSubTypes\.cxx$",
                    r"TypeObject\.cxx$", r"/statistics/types/types\.cxx$",
                    r"/examples/.*/(HelloWorld|LoanableHelloWorld|sample|Topic|deadlinepayload|OwnershipStrength|"
                    r"FilteringExample|Lifespan|FlowControlExample|Benchmark(_small|_medium|_big)?)\.cxx$"],
    },
    {
        "name": "mongo-c-driver",
        "package": "mongo-c-driver",
        "aside": 4,
        "max_tus": 40,
        "why": "MongoDB C driver (C): background server-monitor and RTT threads, client pool (a queue of clients "
               "with a condition variable), topology scanner timers, cursor and session caches, its C test "
               "suite (mock server threads and queues) and examples",
        "kind": "cmake",
        # Debian's build (debian/rules: libbson + libmongoc, system zlib) with
        # tests and examples on; OpenSSL; no SASL, snappy, zstd, ICU, libmongocrypt.
        "cmake_args": ["-DBUILD_VERSION=1.23.1", "-DENABLE_MONGOC=ON", "-DENABLE_BSON=ON", "-DENABLE_TESTS=ON",
                       "-DENABLE_EXAMPLES=ON", "-DENABLE_SSL=OPENSSL", "-DENABLE_SASL=OFF", "-DENABLE_SNAPPY=OFF",
                       "-DENABLE_ZSTD=OFF", "-DENABLE_ZLIB=SYSTEM", "-DENABLE_ICU=OFF",
                       "-DENABLE_CLIENT_SIDE_ENCRYPTION=OFF", "-DENABLE_MAN_PAGES=OFF",
                       "-DENABLE_HTML_DOCS=OFF", "-DENABLE_MAINTAINER_FLAGS=OFF"],
        "needs": ["libssl-dev", "zlib1g-dev"],
        # Bundled third-party code (THIRD_PARTY_NOTICES): zlib, jsonsl,
        # common-b64.c, common-md5.c, tzcode's bson-timegm.c; the fuzzer; the
        # Windows crypto back end of kms-message.
        "exclude": [r"/zlib-[0-9.]+/", r"/jsonsl/", r"/common-(b64|md5)\.c$", r"/bson-timegm\.c$", r"/fuzz/",
                    r"(?i)windows"],
    },
    {
        "name": "czmq",
        "package": "czmq",
        "aside": 4,
        "max_tus": 40,
        "why": "CZMQ, the high-level C binding of ZeroMQ: zactor threads (zauth, zbeacon, zgossip, zmonitor, "
               "zproxy), zloop reactor timers and tickets, zhash/zhashx/zlist/zlistx containers, "
               "zcertstore cache, zsys socket registry, its selftests",
        "kind": "cmake",
        # Debian's configure options (debian/rules: uuid, systemd, no drafts);
        # no curl/microhttpd (not in Debian's build dependencies), lz4 or NSS.
        # Without the draft classes (ztimerset, zproc, zhttp_*...) it has 35
        # TUs: all of them are in the final run.
        "cmake_args": ["-DENABLE_DRAFTS=OFF", "-DCZMQ_WITH_UUID=ON", "-DCZMQ_WITH_SYSTEMD=ON",
                       "-DCZMQ_WITH_LIBCURL=OFF", "-DCZMQ_WITH_LIBMICROHTTPD=OFF", "-DCZMQ_WITH_LZ4=OFF",
                       "-DCZMQ_WITH_NSS=OFF", "-DCZMQ_BUILD_STATIC=OFF"],
        "needs": ["libzmq3-dev", "uuid-dev", "libsystemd-dev"],
        # Bundled third-party code: slre, sha1.
        "exclude": [r"/src/foreign/", r"(?i)/builds/", r"/bindings/"],
    },
]
