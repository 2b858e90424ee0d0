# The Debian package: `cpack -G DEB` in the build directory (docs/package.md).
# It holds parleyd and parley, the sentencepiece shim, the configuration in
# /etc/parley and the systemd unit.

# `cmake --install` (what cpack runs) installs what is built and builds
# nothing: building `all` would build the tests too.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS parleyd parley RUNTIME DESTINATION bin)
# parleyd looks for the shim in ../lib/parley beside its bin
# (models/text/sentencepiece_model.cpp).
install(TARGETS parley_sentencepiece LIBRARY DESTINATION lib/parley)
# The annotated reference loads as it is and runs the embedded defaults.
install(FILES ${PROJECT_SOURCE_DIR}/docs/parley.example.toml
        DESTINATION /etc/parley RENAME parley.toml)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/parleyd.service
        DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/docs/package.md
              ${PROJECT_SOURCE_DIR}/docs/configuration.md
        DESTINATION share/doc/parley)

set(CPACK_PACKAGE_NAME parley)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Parley maintainers <parley@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Translation server on the actor model: ZeroMQ gateway and HTTP")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# The shared libraries the binaries link come from dpkg-shlibdeps; what they
# read or run at run time is listed by hand: the Apertium programs and
# pairs, PocketSphinx's English model, espeak-ng's voices, and OpenBLAS, the
# BLAS that makes libtorch 17 times faster than the reference one.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
    ${CMAKE_RUNTIME_OUTPUT_DIRECTORY})
set(PARLEY_RUNTIME_PACKAGES
    apertium apertium-en-es apertium-fr-es apertium-eng-cat apertium-es-pt
    apertium-spa-ita apertium-es-ro apertium-es-gl apertium-eu-en
    apertium-en-gl apertium-hbs-eng apertium-mk-en apertium-isl-eng
    apertium-rus-ukr apertium-eo-en apertium-oc-es apertium-por-cat
    apertium-ca-it pocketsphinx-en-us espeak-ng-data libopenblas0-pthread)
string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_DEPENDS
       "${PARLEY_RUNTIME_PACKAGES}")
# The configuration is the operator's: upgrades keep their edits.
file(WRITE ${CMAKE_BINARY_DIR}/packaging/conffiles "/etc/parley/parley.toml\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/packaging/conffiles)

include(CPack)
