# SPDX-License-Identifier: MIT
# Packaging (docs/packaging.md): the .deb through CPack (packaging/linux/build-deb), the
# AppImage (packaging/linux/build-appimage, target `appimage`), and on Windows the MSI from
# packaging/windows/simdesk.wxs. Every one carries PROJECT_VERSION.

# Desktop entry and icon.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/linux/simdesk.desktop DESTINATION share/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/simdesk.svg
    DESTINATION share/icons/hicolor/scalable/apps)

if(NOT WIN32)
    # The changelog's newest entry must be this version: one version everywhere.
    file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/linux/deb/changelog _changelog_top LIMIT_COUNT 1)
    if(NOT _changelog_top MATCHES "^simdesk \\(${PROJECT_VERSION}\\) ")
        message(FATAL_ERROR "packaging/linux/deb/changelog starts with '${_changelog_top}'; its "
            "newest entry must be for ${PROJECT_VERSION} (project() in CMakeLists.txt)")
    endif()
    set(_doc share/doc/simdesk)
    set(_gen ${PROJECT_BINARY_DIR}/packaging)
    # A native package (the version has no Debian revision): changelog.gz, compressed without
    # a time stamp so that the package is reproducible.
    add_custom_command(OUTPUT ${_gen}/changelog.gz
        COMMAND ${CMAKE_COMMAND} -E make_directory ${_gen}
        COMMAND gzip -9n -c ${CMAKE_CURRENT_LIST_DIR}/linux/deb/changelog > ${_gen}/changelog.gz
        DEPENDS ${CMAKE_CURRENT_LIST_DIR}/linux/deb/changelog
        VERBATIM)
    set(_package_docs ${_gen}/changelog.gz)
    install(FILES ${CMAKE_CURRENT_LIST_DIR}/linux/deb/copyright ${_gen}/changelog.gz
        DESTINATION ${_doc})

    # Man pages from one source, the programs' own --help and --version (help2man), with the
    # sections both share (packaging/linux/deb/manpages.h2m). Built when help2man is installed
    # (scripts/deps --packaging); the .deb needs them.
    find_program(SIMDESK_HELP2MAN help2man)
    if(SIMDESK_HELP2MAN)
        foreach(_prog simdesk simdesk-cli)
            if(_prog STREQUAL "simdesk")
                set(_what "SIM card lifecycle management (desktop)")
            else()
                set(_what "SIM card lifecycle management (command line)")
            endif()
            add_custom_command(OUTPUT ${_gen}/${_prog}.1.gz
                COMMAND ${CMAKE_COMMAND} -E make_directory ${_gen}
                COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
                    ${SIMDESK_HELP2MAN} --no-info --no-discard-stderr --section=1
                    --name=${_what} --include=${CMAKE_CURRENT_LIST_DIR}/linux/deb/manpages.h2m
                    --output=${_gen}/${_prog}.1 $<TARGET_FILE:${_prog}>
                COMMAND gzip -9nf ${_gen}/${_prog}.1
                DEPENDS ${_prog} ${CMAKE_CURRENT_LIST_DIR}/linux/deb/manpages.h2m
                COMMENT "help2man: ${_prog}.1"
                VERBATIM)
            list(APPEND _package_docs ${_gen}/${_prog}.1.gz)
            install(FILES ${_gen}/${_prog}.1.gz DESTINATION share/man/man1)
        endforeach()
    endif()
    add_custom_target(package_docs ALL DEPENDS ${_package_docs})

    # cmake --build --preset package --target appimage: the AppImage from this build folder.
    add_custom_target(appimage
        COMMAND ${CMAKE_CURRENT_LIST_DIR}/linux/build-appimage --build-dir ${PROJECT_BINARY_DIR}
        DEPENDS simdesk simdesk-cli package_docs
        USES_TERMINAL
        COMMENT "AppImage (packaging/linux/build-appimage)")
endif()

set(CPACK_PACKAGE_NAME "simdesk")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "SimDesk developers")
set(CPACK_PACKAGE_CONTACT "SimDesk developers <simdesk@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SIM card lifecycle management for ISP staff")
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
    "SimDesk runs the whole life of SIM cards: inventory, assignment to"
    "customers, activation, suspension, loss, swap, termination, an audit"
    "trail, CSV import and a dashboard. It works on one shared PostgreSQL"
    "database that every support workstation connects to with the staff"
    "member's own login."
    "This package has the desktop application and simdesk-cli, the"
    "command-line tool for administrators.")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "SimDesk")
set(CPACK_STRIP_FILES ON)

if(WIN32)
    # Windows: the MSI is described once, in packaging/windows/simdesk.wxs, and CPack's WiX
    # generator builds it with that file as its template (docs/packaging.md, "Windows").
    set(CPACK_GENERATOR "WIX")
    set(CPACK_PACKAGE_NAME "SimDesk")
    set(CPACK_WIX_UPGRADE_GUID "6F1B3C2A-9E4D-4B7A-8C15-2D3E4F5A6B7C")
    set(CPACK_WIX_TEMPLATE "${CMAKE_CURRENT_LIST_DIR}/windows/simdesk.wxs")
    set(CPACK_WIX_PROGRAM_MENU_FOLDER "SimDesk")
    set(CPACK_WIX_ARCHITECTURE "x64")
    set(CPACK_WIX_CANDLE_EXTRA_FLAGS "-dCPackBuild=1")
    set(CPACK_PACKAGE_EXECUTABLES "simdesk" "SimDesk")
else()
    set(CPACK_GENERATOR "DEB")
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
    set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    # Plugins are loaded at run time, so dpkg-shlibdeps cannot see them: Qt's PostgreSQL driver
    # and the SVG icon engine. (xcb and offscreen come with libqt6gui6.)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-psql, libqt6svg6")
    # QtKeychain's back ends for "remember password": it loads libsecret at run time.
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libsecret-1-0, gnome-keyring | kwalletmanager")
    set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
endif()
include(CPack)
