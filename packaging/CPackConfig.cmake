# SPDX-License-Identifier: MIT
# Packaging: a .deb built here with CPack. (AppImage and MSI recipes come with the packaging work.)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/simdesk.desktop DESTINATION share/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/simdesk.svg DESTINATION share/icons/hicolor/scalable/apps)

set(CPACK_PACKAGE_NAME "simdesk")
set(CPACK_PACKAGE_VENDOR "SimDesk developers")
set(CPACK_PACKAGE_CONTACT "SimDesk developers <simdesk@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Plugins are loaded at run time, so dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-psql, qt6-qpa-plugins, libqt6svg6")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
include(CPack)
